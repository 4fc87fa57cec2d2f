using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of recommendation lists (推荐汇总表) and spot checks (抽查), as LifecycleModels: camelCase, enums as
// snake_case strings, dates as "YYYY-MM-DD", absent values as null.

public sealed record RecommendationEntryDto(
    int Rank, string ApplicationId, string? Reason, string? EnterpriseName, string? FactoryId, string? FactoryName, string? RegionCode,
    string? RegionName, string? IndustryCode, string? IndustryName, int? MaturityLevel, ApplicationStatus? ApplicationStatus)
{
    public static RecommendationEntryDto From(RecommendationEntry e) => new(e.Rank, e.ApplicationId, Wire.NullIfEmpty(e.Reason),
        Wire.NullIfEmpty(e.EnterpriseName), Wire.NullIfEmpty(e.FactoryId), Wire.NullIfEmpty(e.FactoryName), Wire.NullIfEmpty(e.RegionCode),
        Wire.NullIfEmpty(e.RegionName), Wire.NullIfEmpty(e.IndustryCode), Wire.NullIfEmpty(e.IndustryName), e.MaturityLevel == 0 ? null : e.MaturityLevel,
        e.ApplicationStatus == Contracts.Registry.V1.ApplicationStatus.Unspecified ? null : e.ApplicationStatus);
}

public sealed record RecommendationListDto(
    string Id, string CampaignId, Level Level, int Year, string RecommenderRegionCode, string RecommenderName, RecommendationListStatus Status,
    int Quota, IReadOnlyList<RecommendationEntryDto> Entries, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? SubmittedAt, string? SubmittedBy)
{
    public static RecommendationListDto From(RecommendationList l) => new(l.Id, l.CampaignId, l.Level, l.Year, l.RecommenderRegionCode,
        l.RecommenderName, l.Status, l.Quota, [.. l.Entries.Select(RecommendationEntryDto.From)], l.Version, l.CreatedAt.ToDateTimeOffset(),
        l.UpdatedAt.ToDateTimeOffset(), l.SubmittedAt?.ToDateTimeOffset(), Wire.NullIfEmpty(l.SubmittedBy));
}

public sealed record CreateRecommendationListBody(string? CampaignId);

public sealed record RecommendationEntryBody(string? ApplicationId, string? Reason);

/// <summary>The whole ordered list (rank 1 first): it replaces the draft's entries.</summary>
public sealed record RecommendationEntriesBody(long? ExpectedVersion, IReadOnlyList<RecommendationEntryBody>? Entries)
{
    public SetRecommendationEntriesRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0,
        Entries = { (Entries ?? []).Select(e => new RecommendationEntryInput { ApplicationId = e?.ApplicationId ?? "", Reason = e?.Reason ?? "" }) },
    };
}

public sealed record SpotCheckDto(
    string Id, string RoundId, string RecognitionId, string FactoryId, string FactoryName, string EnterpriseId, string EnterpriseName, string RegionCode,
    Level Level, SpotCheckStatus Status, string? Findings, DateOnly? InspectedOn, DateOnly? RectificationDueOn, string? FollowUpFindings,
    DateOnly? FollowedUpOn, RemovalCause? RemovalCause, long Version, DateTimeOffset UpdatedAt)
{
    public static SpotCheckDto From(SpotCheck c) => new(c.Id, c.RoundId, c.RecognitionId, c.FactoryId, c.FactoryName, c.EnterpriseId, c.EnterpriseName,
        c.RegionCode, c.Level, c.Status, Wire.NullIfEmpty(c.Findings), Wire.Date(c.InspectedOn), Wire.Date(c.RectificationDueOn),
        Wire.NullIfEmpty(c.FollowUpFindings), Wire.Date(c.FollowedUpOn),
        c.RemovalCause == Contracts.Registry.V1.RemovalCause.Unspecified ? null : c.RemovalCause, c.Version, c.UpdatedAt.ToDateTimeOffset());
}

public sealed record SpotCheckRoundDto(
    string Id, string Name, string AuthorityRole, IReadOnlyList<Level> Levels, string Selection, int? PerCity, long? Seed, int? CandidateCount,
    IReadOnlyList<SpotCheckDto> Checks, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static SpotCheckRoundDto From(SpotCheckRound r) => new(r.Id, r.Name, r.AuthorityRole, [.. r.Levels], r.Selection,
        r.Selection == "drawn" ? r.PerCity : null, r.Seed, r.Selection == "drawn" ? r.CandidateCount : null,
        [.. r.Checks.Select(SpotCheckDto.From)], r.CreatedBy, r.CreatedAt.ToDateTimeOffset());
}

/// <summary>A draw of perCity recognitions from each city's live ones; without a seed one is generated, and recorded either way.</summary>
public sealed record SpotCheckDrawBody(int? PerCity, long? Seed);

/// <summary>A round's targets: recognitionIds chosen, or a draw — one of the two.</summary>
public sealed record CreateSpotCheckRoundBody(string? Name, IReadOnlyList<Level>? Levels, IReadOnlyList<string>? RecognitionIds, SpotCheckDrawBody? Draw)
{
    public CreateSpotCheckRoundRequest ToRequest()
    {
        var request = new CreateSpotCheckRoundRequest
        {
            Name = Name ?? "", Levels = { Levels ?? [] }, RecognitionIds = { (RecognitionIds ?? []).Select(id => id ?? "") },
        };
        if (Draw is not null)
        {
            request.Draw = new SpotCheckDraw { PerCity = Draw.PerCity ?? 0, Seed = Draw.Seed };
        }
        return request;
    }
}

public sealed record SpotCheckOutcomeBody(
    long? ExpectedVersion, string? Findings, DateOnly? InspectedOn, SpotCheckOutcome? Outcome, DateOnly? RectificationDueOn, RemovalCause? RemovalCause)
{
    public RecordSpotCheckOutcomeRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Findings = Findings ?? "", InspectedOn = Wire.Iso(InspectedOn),
        Outcome = Outcome ?? SpotCheckOutcome.Unspecified, RectificationDueOn = Wire.Iso(RectificationDueOn),
        RemovalCause = RemovalCause ?? Contracts.Registry.V1.RemovalCause.Unspecified,
    };
}

public sealed record SpotCheckFollowUpBody(long? ExpectedVersion, string? Findings, DateOnly? FollowedUpOn, SpotCheckOutcome? Outcome, RemovalCause? RemovalCause)
{
    public RecordSpotCheckFollowUpRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Findings = Findings ?? "", FollowedUpOn = Wire.Iso(FollowedUpOn),
        Outcome = Outcome ?? SpotCheckOutcome.Unspecified, RemovalCause = RemovalCause ?? Contracts.Registry.V1.RemovalCause.Unspecified,
    };
}
