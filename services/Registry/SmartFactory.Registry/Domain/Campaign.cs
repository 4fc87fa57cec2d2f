using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

public enum CampaignStatus { Open, Closed }

/// <summary>What a campaign's creator sends, and what its owner may change later; dates as "YYYY-MM-DD".</summary>
public sealed record CampaignDraft(Level? Level, int Year, string? SubmissionOpensOn, string? SubmissionClosesOn, string? DecisionDueOn,
    IReadOnlyList<(string RegionCode, int Count)> Quotas);

/// <summary>
/// The province's yearly window for the cities' basic rounds (003 第九、十条): the cities run their own rounds inside it,
/// complete, publicity and filing included, by its end, which is at the latest 31 March.
/// </summary>
public sealed record RoundWindow(int Year, DateOnly OpensOn, DateOnly CompleteBy, string SetBy, DateTime SetAt)
{
    public static RoundWindow Set(CallerScope caller, int year, string? opensOn, string? completeBy, DateTime now)
    {
        if (caller.Role != Role.Province) throw new ForbiddenException("the province sets the window of the cities' basic rounds");
        var violations = new Violations();
        if (year is < 2025 or > 2100) violations.Add("year", "must be a year from 2025, when the yearly rounds began (003 第十条)");
        var opens = violations.Date("opens_on", opensOn, required: true);
        var deadline = Level.Basic.RoundDeadline(Math.Clamp(year, 2025, 2100))!.Value;
        var ends = violations.Date("complete_by", completeBy, required: false) ?? deadline;
        if (ends > deadline) violations.Add("complete_by", $"must not be after {deadline.Iso()}: basic rounds are complete by 31 March (003 第十条); extend a city's round instead");
        if (opens >= ends) violations.Add("opens_on", $"must be before complete_by ({ends.Iso()})");
        if (opens < new DateOnly(deadline.Year - 1, 1, 1)) violations.Add("opens_on", $"must not be before {deadline.Year - 1}-01-01");
        violations.ThrowIfAny();
        return new RoundWindow(year, opens!.Value, ends, caller.Name, now);
    }
}

/// <summary>
/// A round (e.g. Wuhan's 2027 basic round, the province's 2027 advanced one): when enterprises may submit, when it must be
/// complete, how many applications each recommending authority may pass up, and the scenario catalog its applications
/// cite. A city runs its basic round inside the province's window, the province its advanced round, the ministry
/// excellent and leading ones; whoever opened a round configures and closes it, and only the province moves a basic or
/// advanced deadline, with a reason.
/// </summary>
public sealed record Campaign(
    Guid Id, Level Level, int Year, string RegionCode, string CatalogEdition, DateOnly SubmissionOpensOn, DateOnly SubmissionClosesOn,
    DateOnly DecisionDueOn, IReadOnlyDictionary<string, int> Quotas, CampaignStatus Status, DateOnly? ExtendedTo, string ExtensionReason,
    DateOnly? ClosedOn, long Version, DateTime CreatedAt)
{
    public const int MaxReasonLength = 2000;
    /// <summary>The ministry's campaigns belong to no province: their region is the national code.</summary>
    public const string National = "000000";
    /// <summary>The 2025 scenario catalog applies from 8 January 2026, when 004 took effect; rounds opened before cite 2024.</summary>
    public static readonly DateOnly Catalog2025From = new(2026, 1, 8);

    /// <summary>The deadline in force: the one opened with, or the province's extension.</summary>
    public DateOnly CompleteBy => ExtendedTo ?? DecisionDueOn;

    /// <summary>The catalog edition a round opened on <paramref name="opensOn"/> cites (004, in force from 8 January 2026).</summary>
    public static string EditionFor(DateOnly opensOn) => opensOn >= Catalog2025From ? "2025" : "2024";

    /// <summary>
    /// Opens a round. Basic: a city, inside the province's window for the year, by the window's end. Advanced: the
    /// province, by 30 June (003 第十二条). Excellent and leading: the ministry, with its own decision date.
    /// </summary>
    public static Campaign Create(CallerScope caller, CampaignDraft draft, ReferenceData reference, RoundWindow? window, Guid id, DateTime now)
    {
        if (draft.Level is { } wanted && caller.Role != Owner(wanted))
            throw new ForbiddenException(wanted switch
            {
                Level.Basic => "a city opens its own basic round (003 第九条)",
                Level.Advanced => "the province opens advanced rounds (003 第十一条)",
                _ => "the ministry opens excellent and leading rounds",
            });
        if (draft.Level == Level.Basic && !reference.IsCity(caller.Region))
            throw new ForbiddenException($"'{caller.Region}' is not a city of this province");
        if (draft.Level == Level.Basic && draft.Year is >= 2025 and <= 2100 && window is null)
            throw new RuleViolationException([$"the province has not set the {draft.Year} window for basic rounds yet"]);
        var violations = new Violations();
        if (draft.Level is null) violations.Add("level", "is required: basic, advanced, excellent or leading");
        if (draft.Year is < 2025 or > 2100) violations.Add("year", "must be a year from 2025");
        var (opens, closes, due, quotas) = Schedule(violations, draft, draft.Level, draft.Year, reference, window);
        violations.ThrowIfAny();
        var region = draft.Level switch { Level.Basic or Level.Advanced => caller.Region, _ => National };
        return new Campaign(id, draft.Level!.Value, draft.Year, region, EditionFor(opens), opens, closes, due, quotas, CampaignStatus.Open,
            null, "", null, 1, now);
    }

    /// <summary>Its owner changes an open round's dates and quotas, within the same limits as when it was opened.</summary>
    public Campaign Configure(CallerScope caller, long expectedVersion, CampaignDraft draft, ReferenceData reference, RoundWindow? window)
    {
        EnsureOwner(caller, "configures");
        CheckVersion(expectedVersion);
        EnsureOpen();
        var violations = new Violations();
        var (opens, closes, due, quotas) = Schedule(violations, draft, Level, Year, reference, window);
        if (ExtendedTo is { } extended && due > extended) violations.Add("decision_due_on", $"must not be after the extension to {extended.Iso()}");
        violations.ThrowIfAny();
        return this with
        {
            SubmissionOpensOn = opens, SubmissionClosesOn = closes, DecisionDueOn = due, Quotas = quotas,
            CatalogEdition = EditionFor(opens), Version = Version + 1,
        };
    }

    /// <summary>
    /// The province moves the deadline of a basic or advanced round, giving its reason (the audit keeps both): the only
    /// way a decision, a notice or the close may end after 31 March or 30 June.
    /// </summary>
    public Campaign Extend(CallerScope caller, long expectedVersion, string? completeBy, string? reason, DateOnly today)
    {
        if (caller.Role != Role.Province) throw new ForbiddenException("only the province extends a round's deadline");
        if (Level >= Level.Excellent) throw new RuleViolationException(["excellent and leading rounds are the ministry's; it sets their dates itself"]);
        CheckVersion(expectedVersion);
        EnsureOpen();
        var violations = new Violations();
        var until = violations.Date("complete_by", completeBy, required: true);
        var text = violations.Required("reason", reason, MaxReasonLength);
        if (until <= CompleteBy) violations.Add("complete_by", $"must be after the deadline in force ({CompleteBy.Iso()})");
        if (until < today) violations.Add("complete_by", "must not be in the past");
        violations.ThrowIfAny();
        return this with { ExtendedTo = until, ExtensionReason = text, Version = Version + 1 };
    }

    /// <summary>
    /// Its owner closes a round once submissions have closed and everything in it is decided and through publicity
    /// (003 第十、十二条: complete, publicity and filing included), by the deadline in force.
    /// </summary>
    /// <param name="unfinished">What in the round is not finished yet, in words; empty when nothing is.</param>
    public Campaign Close(CallerScope caller, long expectedVersion, IReadOnlyList<string> unfinished, DateOnly today)
    {
        EnsureOwner(caller, "closes");
        CheckVersion(expectedVersion);
        EnsureOpen();
        var refusals = new List<string>();
        if (today <= SubmissionClosesOn) refusals.Add($"submissions are open until {SubmissionClosesOn.Iso()}; move that date first");
        if (LateOn(today) is { } late) refusals.Add(late);
        refusals.AddRange(unfinished);
        if (refusals.Count > 0) throw new RuleViolationException(refusals);
        return this with { Status = CampaignStatus.Closed, ClosedOn = today, Version = Version + 1 };
    }

    public bool AcceptsSubmissionsOn(DateOnly day) => day >= SubmissionOpensOn && day <= SubmissionClosesOn;

    /// <summary>A basic round is for the factories of its city; the others for the whole province.</summary>
    public bool Covers(string factoryRegion) => Level != Level.Basic || factoryRegion == RegionCode;

    /// <summary>Why a step that ends on <paramref name="day"/> is too late for this round, or null.</summary>
    public string? LateOn(DateOnly day) => day > CompleteBy
        ? $"the {Year} {Level.Chinese()} round was to be complete by {CompleteBy.Iso()}{(Level <= Level.Advanced ? "; only the province can extend it, giving a reason" : "")}"
        : null;

    /// <summary>Why nothing may happen in this round any more, or null while it is open.</summary>
    public string? ClosedReason() => Status == CampaignStatus.Closed ? $"the {Year} {Level.Chinese()} round was closed on {ClosedOn.Iso()}" : null;

    public int DaysLeft(DateOnly today) => CompleteBy.DayNumber - today.DayNumber;

    public static Role Owner(Level level) => level switch
    {
        Level.Basic => Role.City, Level.Advanced => Role.Province, _ => Role.Ministry,
    };

    private static (DateOnly Opens, DateOnly Closes, DateOnly Due, Dictionary<string, int> Quotas) Schedule(Violations violations, CampaignDraft draft,
        Level? level, int year, ReferenceData reference, RoundWindow? window)
    {
        var opens = violations.Date("submission_opens_on", draft.SubmissionOpensOn, required: true);
        var closes = violations.Date("submission_closes_on", draft.SubmissionClosesOn, required: true);
        var deadline = level == Level.Basic ? window?.CompleteBy : level?.RoundDeadline(Math.Clamp(year, 1, 9999));
        var due = violations.Date("decision_due_on", draft.DecisionDueOn, required: level >= Level.Excellent) ?? deadline;
        if (deadline is { } latest && due > latest)
            violations.Add("decision_due_on", level == Level.Basic
                ? $"must not be after the province's window, which ends on {latest.Iso()} (003 第十条)"
                : $"must not be after {latest.Iso()}: advanced rounds are complete by 30 June (003 第十二条)");
        if (level == Level.Basic && window is not null && opens < window.OpensOn)
            violations.Add("submission_opens_on", $"must not be before the province's window opens on {window.OpensOn.Iso()}");
        if (opens > closes) violations.Add("submission_closes_on", "must not be before submission_opens_on");
        if (closes > due) violations.Add("decision_due_on", $"must not be before submission_closes_on ({closes.Iso()})");

        var quotas = new Dictionary<string, int>();
        for (var i = 0; i < draft.Quotas.Count; i++)
        {
            var (region, count) = draft.Quotas[i];
            var field = $"quotas[{i}]";
            var recommender = level?.Recommender();
            if (recommender is null) violations.Add(field, "basic rounds have no recommendations and so no quotas");
            else if (recommender == Role.City && !reference.IsCity(region)) violations.Add($"{field}.region_code", $"'{region}' is not a city of this province");
            else if (recommender == Role.Province && !reference.IsProvince(region)) violations.Add($"{field}.region_code", $"'{region}' is not this province");
            if (count < 0) violations.Add($"{field}.count", "must not be negative");
            if (!quotas.TryAdd(region, count)) violations.Add($"{field}.region_code", $"'{region}' has a quota already");
        }
        return (opens ?? default, closes ?? default, due ?? default, quotas);
    }

    private void EnsureOwner(CallerScope caller, string what)
    {
        if (caller.Role != Owner(Level) || (Level <= Level.Advanced && caller.Region != RegionCode))
            throw new ForbiddenException($"only the authority that opened the {Year} {Level.Chinese()} round {what} it");
    }

    private void EnsureOpen()
    {
        if (ClosedReason() is { } closed) throw new RuleViolationException([closed]);
    }

    private void CheckVersion(long expectedVersion)
    {
        if (expectedVersion != Version)
            throw new ConcurrencyException($"campaign {Id} changed since version {expectedVersion} (now {Version}); read it again");
    }
}
