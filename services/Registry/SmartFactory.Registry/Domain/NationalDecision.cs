using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

public enum DecisionSource { Entered, Imported }

/// <summary>
/// MIIT's published decision on excellent or leading factories (工信部等六部门发布名单): it takes effect from its date
/// without a publicity of this platform (MIIT publicizes on its own platform). Entered by a ministry user, or imported
/// from the national platform; its document number identifies it, so an import delivered twice is one decision.
/// For leading, it sets the cultivation period (培育期), at most 2 years from its date (004 六).
/// </summary>
public sealed record NationalDecision(
    Guid Id, Level Level, Guid CampaignId, string DocumentNumber, DateOnly DecidedOn, string ListName, IReadOnlyList<Guid> ApplicationIds,
    DateOnly? CultivationEndsOn, DecisionSource Source, string RecordedBy, DateTime RecordedAt)
{
    public const int MaxDocumentNumberLength = 100;
    public const int MaxListNameLength = 200;
    public const int MaxApplications = 1000;

    public static NationalDecision Record(CallerScope caller, Campaign? campaign, string? documentNumber, string? decidedOn, string? listName,
        IReadOnlyList<string> applicationIds, string? cultivationEndsOn, DecisionSource source, DateOnly today, Guid id, DateTime now)
    {
        if (caller.Role != Role.Ministry) throw new ForbiddenException("the ministry records MIIT's decisions (谁认定、谁管理, 004 四)");
        var violations = new Violations();
        if (campaign is null) violations.Add("campaign_id", "is required: the excellent or leading round decided");
        else if (campaign.Level < Level.Excellent) violations.Add("campaign_id", $"names a {campaign.Level.Chinese()} round; national decisions are on excellent and leading");
        var number = violations.Required("document_number", documentNumber, MaxDocumentNumberLength);
        var decided = violations.Date("decided_on", decidedOn, required: true);
        if (decided > today) violations.Add("decided_on", "must not be in the future");
        var name = violations.Required("list_name", listName, MaxListNameLength);
        var ids = new List<Guid>();
        if (applicationIds.Count == 0) violations.Add("application_ids", "name the applications the decision lists, in its order");
        if (applicationIds.Count > MaxApplications) violations.Add("application_ids", $"at most {MaxApplications}");
        for (var i = 0; i < applicationIds.Count; i++)
        {
            if (!Guid.TryParse(applicationIds[i], out var applicationId)) violations.Add($"application_ids[{i}]", "must be a UUID");
            else if (ids.Contains(applicationId)) violations.Add($"application_ids[{i}]", "is named twice");
            else ids.Add(applicationId);
        }
        var cultivation = violations.Date("cultivation_ends_on", cultivationEndsOn, required: false);
        if (campaign?.Level == Level.Leading && decided is { } from)
        {
            cultivation ??= from.AddYears(LevelRules.CultivationYears);
            if (cultivation <= from || cultivation > from.AddYears(LevelRules.CultivationYears))
                violations.Add("cultivation_ends_on", $"must be after {from.Iso()} and at most 2 years later, by {from.AddYears(LevelRules.CultivationYears).Iso()} (004 六)");
        }
        else if (cultivation is not null) violations.Add("cultivation_ends_on", "only a decision on leading factories sets a cultivation period");
        violations.ThrowIfAny();
        return new NationalDecision(id, campaign!.Level, campaign.Id, number, decided!.Value, name, ids, cultivation, source, caller.Name, now);
    }
}
