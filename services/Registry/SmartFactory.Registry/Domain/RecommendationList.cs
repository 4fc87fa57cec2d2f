using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

public enum RecommendationListStatus { Draft, Submitted }

/// <summary>One place on a recommendation list: the application, its rank (1 first) and an optional short reason.</summary>
public sealed record RecommendationEntry(Guid ApplicationId, int Rank, string Reason);

/// <summary>
/// A recommendation list (推荐汇总表, 按优先顺序): the ordered applications a recommender passes up in one campaign,
/// at most its quota — a city's basic factories for the advanced round (003 第十一条), the province's advanced and
/// excellent factories to the ministry (003 第十三、十四条). The recommender edits it while it is a draft and submits
/// it once: every listed application is then recommended with its rank (<see cref="Application.RecommendIn"/>), and
/// the list is read-only. The recognizer reads submitted lists (谁推荐、谁把关, 004 四).
/// </summary>
public sealed record RecommendationList(
    Guid Id, Guid CampaignId, Level Level, int Year, string RecommenderRegion, RecommendationListStatus Status, int Quota,
    IReadOnlyList<RecommendationEntry> Entries, long Version, DateTime CreatedAt, DateTime UpdatedAt, DateTime? SubmittedAt, string? SubmittedBy)
{
    public const int MaxReasonLength = 200;

    /// <summary>The campaign's recommender starts its list, within the quota the campaign gives its region.</summary>
    public static RecommendationList Create(CallerScope caller, Campaign campaign, Guid id, DateTime now)
    {
        if (campaign.Level.Recommender() is not { } recommender)
            throw new RuleViolationException([$"{campaign.Level.Chinese()} campaigns have no recommendations: the city recognizes directly (003 第十条)"]);
        if (caller.Role != recommender)
            throw new ForbiddenException(recommender == Role.City
                ? "a city recommends its basic factories for the advanced round (003 第十一条)"
                : "the province recommends to the ministry (003 第十三、十四条)");
        if (!campaign.Quotas.TryGetValue(caller.Region, out var quota))
            throw new RuleViolationException([$"the {campaign.Year} {campaign.Level.Chinese()} campaign sets no quota for {caller.Region}"]);
        return new RecommendationList(id, campaign.Id, campaign.Level, campaign.Year, caller.Region, RecommendationListStatus.Draft, quota, [], 1,
            now, now, null, null);
    }

    /// <summary>
    /// Replaces the entries with <paramref name="entries"/>, ranked in the order given: reordering, adding and removing
    /// are one edit. Each must be a submitted application of this campaign that the recommender sees (<paramref name="found"/>:
    /// the applications read in the caller's scope, so a city's are its own city's), once, and no more than the quota.
    /// </summary>
    public RecommendationList SetEntries(CallerScope caller, long expectedVersion, IReadOnlyList<(string ApplicationId, string? Reason)> entries,
        IReadOnlyDictionary<Guid, Application> found, DateTime now)
    {
        EnsureRecommender(caller);
        CheckVersion(expectedVersion);
        EnsureDraft();
        var violations = new Violations();
        var seen = new HashSet<Guid>();
        var ranked = new List<RecommendationEntry>();
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"entries[{i}]";
            var reason = violations.Optional($"{field}.reason", entries[i].Reason, MaxReasonLength);
            if (!Guid.TryParse(entries[i].ApplicationId, out var applicationId))
            {
                violations.Add($"{field}.application_id", entries[i].ApplicationId.Length == 0 ? "is required" : "must be a UUID");
                continue;
            }
            if (!seen.Add(applicationId)) violations.Add($"{field}.application_id", "is listed twice");
            else if (!found.TryGetValue(applicationId, out var application)) violations.Add($"{field}.application_id", $"no application {applicationId} in your scope");
            else if (application.CampaignId != CampaignId) violations.Add($"{field}.application_id", "is an application of another campaign");
            else if (application.Status != ApplicationStatus.Submitted)
                violations.Add($"{field}.application_id", $"is {application.Status.ToString().ToLowerInvariant()}; only submitted applications are recommended");
            ranked.Add(new RecommendationEntry(applicationId, ranked.Count + 1, reason));
        }
        if (entries.Count > Quota) violations.Add("entries", $"{entries.Count} entries exceed the quota of {Quota} (003 第十一条: 按比例推荐)");
        violations.ThrowIfAny();
        return this with { Entries = ranked, Version = Version + 1, UpdatedAt = now };
    }

    /// <summary>
    /// Submits the list: it must hold at least one entry, within the quota, each application still submitted (one
    /// returned or rejected since it was listed must come off first). Read-only afterwards.
    /// </summary>
    public RecommendationList Submit(CallerScope caller, long expectedVersion, IReadOnlyDictionary<Guid, Application> listed, DateTime now)
    {
        EnsureRecommender(caller);
        CheckVersion(expectedVersion);
        EnsureDraft();
        var refusals = new List<string>();
        if (Entries.Count == 0) refusals.Add("an empty recommendation list cannot be submitted");
        if (Entries.Count > Quota) refusals.Add($"{Entries.Count} entries exceed the quota of {Quota}");
        foreach (var entry in Entries)
            if (!listed.TryGetValue(entry.ApplicationId, out var application) || application.Status != ApplicationStatus.Submitted)
                refusals.Add($"rank {entry.Rank}: application {entry.ApplicationId} is no longer awaiting recommendation; take it off the list");
        if (refusals.Count > 0) throw new RuleViolationException(refusals);
        return this with { Status = RecommendationListStatus.Submitted, Version = Version + 1, UpdatedAt = now, SubmittedAt = now, SubmittedBy = caller.Name };
    }

    /// <summary>
    /// Which lists a caller reads, as the store's WHERE clause takes it: its own (a city's advanced lists, the province's
    /// excellent and leading ones) in any state, and the submitted lists of the levels it recognizes. Nothing else.
    /// </summary>
    public static (string Region, Level[] Own, Level[] Recognized) ReadScope(CallerScope caller) => caller.Role switch
    {
        Role.City => (caller.Region, [Level.Advanced], []),
        Role.Province => (caller.Region, [Level.Excellent, Level.Leading], [Level.Advanced]),
        Role.Ministry => ("", [], [Level.Excellent, Level.Leading]),
        _ => ("", [], []),
    };

    private void EnsureRecommender(CallerScope caller)
    {
        // The store only hands a list to those who may read it; of those, only its recommender edits it.
        if (caller.Role != Level.Recommender() || caller.Region != RecommenderRegion)
            throw new ForbiddenException("only the recommender edits and submits its recommendation list");
    }

    private void EnsureDraft()
    {
        if (Status != RecommendationListStatus.Draft)
            throw new RuleViolationException(["the recommendation list was submitted and is read-only"]);
    }

    private void CheckVersion(long expectedVersion)
    {
        if (expectedVersion != Version)
            throw new ConcurrencyException($"recommendation list {Id} changed since version {expectedVersion} (now {Version}); read it again");
    }
}
