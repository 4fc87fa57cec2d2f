using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>What a campaign's creator sends; dates as "YYYY-MM-DD".</summary>
public sealed record CampaignDraft(Level? Level, int Year, string? SubmissionOpensOn, string? SubmissionClosesOn, string? DecisionDueOn,
    IReadOnlyList<(string RegionCode, int Count)> Quotas);

/// <summary>
/// A yearly round of one level (e.g. 2026 advanced): when enterprises may submit, when the decision is due, and how
/// many applications each recommending authority may pass up (a city for advanced, the province for the ministry).
/// </summary>
public sealed record Campaign(
    Guid Id, Level Level, int Year, DateOnly SubmissionOpensOn, DateOnly SubmissionClosesOn, DateOnly DecisionDueOn,
    IReadOnlyDictionary<string, int> Quotas, DateTime CreatedAt)
{
    /// <summary>
    /// The province opens basic and advanced campaigns, the ministry excellent and leading ones. Basic is decided by
    /// 31 March and advanced by 30 June of the campaign's year unless the creator sets another date (003 第十条, 第十二条).
    /// </summary>
    public static Campaign Create(CallerScope caller, CampaignDraft draft, ReferenceData reference, Guid id, DateTime now)
    {
        if (draft.Level is { } wanted && caller.Role != (wanted <= Level.Advanced ? Role.Province : Role.Ministry))
            throw new ForbiddenException(wanted <= Level.Advanced
                ? "the province opens basic and advanced campaigns"
                : "the ministry opens excellent and leading campaigns");
        var violations = new Violations();
        if (draft.Level is null) violations.Add("level", "is required: basic, advanced, excellent or leading");
        if (draft.Year is < 2024 or > 2100) violations.Add("year", "must be a year from 2024");
        var opens = violations.Date("submission_opens_on", draft.SubmissionOpensOn, required: true);
        var closes = violations.Date("submission_closes_on", draft.SubmissionClosesOn, required: true);
        var due = violations.Date("decision_due_on", draft.DecisionDueOn, required: draft.Level >= Level.Excellent);
        due ??= draft.Level switch
        {
            Level.Basic => new DateOnly(Math.Clamp(draft.Year, 1, 9999), 3, 31),
            Level.Advanced => new DateOnly(Math.Clamp(draft.Year, 1, 9999), 6, 30),
            _ => null,
        };
        if (opens > closes) violations.Add("submission_closes_on", "must not be before submission_opens_on");
        if (closes > due) violations.Add("decision_due_on", $"must not be before submission_closes_on ({closes.Iso()})");

        var quotas = new Dictionary<string, int>();
        for (var i = 0; i < draft.Quotas.Count; i++)
        {
            var (region, count) = draft.Quotas[i];
            var field = $"quotas[{i}]";
            var recommender = draft.Level?.Recommender();
            if (recommender is null) violations.Add(field, "basic campaigns have no recommendations and so no quotas");
            else if (recommender == Role.City && !reference.IsCity(region)) violations.Add($"{field}.region_code", $"'{region}' is not a city of this province");
            else if (recommender == Role.Province && !reference.IsProvince(region)) violations.Add($"{field}.region_code", $"'{region}' is not this province");
            if (count < 0) violations.Add($"{field}.count", "must not be negative");
            if (!quotas.TryAdd(region, count)) violations.Add($"{field}.region_code", $"'{region}' has a quota already");
        }
        violations.ThrowIfAny();
        return new Campaign(id, draft.Level!.Value, draft.Year, opens!.Value, closes!.Value, due!.Value, quotas, now);
    }

    public bool AcceptsSubmissionsOn(DateOnly day) => day >= SubmissionOpensOn && day <= SubmissionClosesOn;
}
