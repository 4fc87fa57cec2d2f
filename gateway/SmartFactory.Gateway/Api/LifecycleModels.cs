using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of campaigns, applications and recognitions (camelCase JSON, enums as snake_case strings such as
// "pending_publicity", dates as "YYYY-MM-DD", absent values as null where proto3 says "").

public sealed record QuotaDto(string RegionCode, int Count);

public sealed record CampaignDto(
    string Id, Level Level, int Year, DateOnly? SubmissionOpensOn, DateOnly? SubmissionClosesOn, DateOnly? DecisionDueOn,
    IReadOnlyList<QuotaDto> Quotas, DateTimeOffset CreatedAt)
{
    public static CampaignDto From(Campaign c) => new(c.Id, c.Level, c.Year, Wire.Date(c.SubmissionOpensOn), Wire.Date(c.SubmissionClosesOn),
        Wire.Date(c.DecisionDueOn), [.. c.Quotas.Select(q => new QuotaDto(q.RegionCode, q.Count))], c.CreatedAt.ToDateTimeOffset());
}

public sealed record CreateCampaignBody(
    Level? Level, int? Year, DateOnly? SubmissionOpensOn, DateOnly? SubmissionClosesOn, DateOnly? DecisionDueOn, IReadOnlyList<QuotaDto>? Quotas)
{
    public CreateCampaignRequest ToRequest() => new()
    {
        Level = Level ?? Contracts.Registry.V1.Level.Unspecified, Year = Year ?? 0, SubmissionOpensOn = Wire.Iso(SubmissionOpensOn),
        SubmissionClosesOn = Wire.Iso(SubmissionClosesOn), DecisionDueOn = Wire.Iso(DecisionDueOn),
        Quotas = { (Quotas ?? []).Select(q => new Quota { RegionCode = q.RegionCode ?? "", Count = q.Count }) },
    };
}

/// <summary>GB/T 39116-2020 self-assessment; a draft may leave any of it out.</summary>
public sealed record MaturityDto(int? Level, DateOnly? AssessedOn, string? CertificateRef)
{
    public static MaturityDto From(Maturity m) => new(m.Level == 0 ? null : m.Level, Wire.Date(m.AssessedOn), Wire.NullIfEmpty(m.CertificateRef));

    public Maturity ToMessage() => new() { Level = Level ?? 0, AssessedOn = Wire.Iso(AssessedOn), CertificateRef = CertificateRef ?? "" };
}

public sealed record KpiValueDto(string KpiId, double Value);

public sealed record ReviewEntryDto(string Action, string ActorRole, string ActorName, string? Comments, DateTimeOffset At);

public sealed record ApplicationDto(
    string Id, string CampaignId, string FactoryId, string FactoryName, string EnterpriseId, string EnterpriseName, string RegionCode,
    Level Level, ApplicationStatus Status, MaturityDto Maturity, string? CatalogEdition, IReadOnlyList<string> ScenarioIds,
    IReadOnlyList<KpiValueDto> Kpis, bool TruthfulnessDeclared, IReadOnlyList<string> Warnings, IReadOnlyList<ReviewEntryDto> History,
    string? RecognitionId, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ApplicationDto From(Application a) => new(a.Id, a.CampaignId, a.FactoryId, a.FactoryName, a.EnterpriseId, a.EnterpriseName,
        a.RegionCode, a.Level, a.Status, MaturityDto.From(a.Maturity ?? new Maturity()), Wire.NullIfEmpty(a.CatalogEdition), [.. a.ScenarioIds],
        [.. a.Kpis.Select(k => new KpiValueDto(k.KpiId, k.Value))], a.TruthfulnessDeclared, [.. a.Warnings],
        [.. a.History.Select(h => new ReviewEntryDto(h.Action, h.ActorRole, h.ActorName, Wire.NullIfEmpty(h.Comments), h.At.ToDateTimeOffset()))],
        Wire.NullIfEmpty(a.RecognitionId), a.Version, a.CreatedAt.ToDateTimeOffset(), a.UpdatedAt.ToDateTimeOffset());
}

/// <summary>A new draft: the campaign (which fixes the level) and the factory, and as much of the form as is ready.</summary>
public sealed record CreateApplicationBody(
    string? CampaignId, string? FactoryId, MaturityDto? Maturity, string? CatalogEdition, IReadOnlyList<string>? ScenarioIds,
    IReadOnlyList<KpiValueDto>? Kpis, bool? TruthfulnessDeclared)
{
    public SaveApplicationRequest ToRequest() =>
        ApplicationForm.Fill(new() { CampaignId = CampaignId ?? "", FactoryId = FactoryId ?? "" }, Maturity, CatalogEdition, ScenarioIds, Kpis, TruthfulnessDeclared);
}

/// <summary>The whole form again (it replaces the saved one); campaign and factory stay as the draft started.</summary>
public sealed record UpdateApplicationBody(
    long? ExpectedVersion, MaturityDto? Maturity, string? CatalogEdition, IReadOnlyList<string>? ScenarioIds, IReadOnlyList<KpiValueDto>? Kpis,
    bool? TruthfulnessDeclared)
{
    public SaveApplicationRequest ToRequest(string id) =>
        ApplicationForm.Fill(new() { Id = id, ExpectedVersion = ExpectedVersion ?? 0 }, Maturity, CatalogEdition, ScenarioIds, Kpis, TruthfulnessDeclared);
}

internal static class ApplicationForm
{
    public static SaveApplicationRequest Fill(SaveApplicationRequest request, MaturityDto? maturity, string? catalogEdition,
        IReadOnlyList<string>? scenarioIds, IReadOnlyList<KpiValueDto>? kpis, bool? truthfulnessDeclared)
    {
        request.Maturity = maturity?.ToMessage();
        request.CatalogEdition = catalogEdition ?? "";
        request.ScenarioIds.AddRange(scenarioIds ?? []);
        request.Kpis.AddRange((kpis ?? []).Select(k => new KpiValue { KpiId = k.KpiId ?? "", Value = k.Value }));
        request.TruthfulnessDeclared = truthfulnessDeclared ?? false;
        return request;
    }
}

/// <summary>Submit, and apply for re-examination or acceptance: only the version the caller last read.</summary>
public sealed record VersionBody(long? ExpectedVersion)
{
    public RecognitionActionRequest ToRequest(string id) => new() { Id = id, ExpectedVersion = ExpectedVersion ?? 0 };
}

public sealed record ReviewBody(long? ExpectedVersion, ReviewAction? Action, string? Comments)
{
    public ReviewApplicationRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Action = Action ?? ReviewAction.Unspecified, Comments = Comments ?? "",
    };
}

/// <summary>The sender's request id makes a repeated command answer the first result; effectiveOn defaults to today.</summary>
public sealed record TakeEffectBody(string? RequestId, DateOnly? EffectiveOn)
{
    public TakeEffectRequest ToRequest(string applicationId) => new()
    {
        ApplicationId = applicationId, RequestId = RequestId ?? "", EffectiveOn = Wire.Iso(EffectiveOn),
    };
}

public sealed record RecognitionEventDto(string Kind, DateOnly? On, string? Reason, string ActorRole, DateTimeOffset At);

public sealed record RecognitionDto(
    string Id, string FactoryId, string FactoryName, string EnterpriseId, string EnterpriseName, string RegionCode, string IndustryCode,
    Level Level, int Year, string ApplicationId, RecognitionStatus Status, DateOnly? EffectiveOn, DateOnly? ExpiresOn, DateOnly? CultivationEndsOn,
    string? Renewal, string? Acceptance, DateOnly? EndedOn, string? EndReason, DateOnly? BanUntil, IReadOnlyList<RecognitionEventDto> History,
    long Version)
{
    public static RecognitionDto From(Recognition r) => new(r.Id, r.FactoryId, r.FactoryName, r.EnterpriseId, r.EnterpriseName, r.RegionCode,
        r.IndustryCode, r.Level, r.Year, r.ApplicationId, r.Status, Wire.Date(r.EffectiveOn), Wire.Date(r.ExpiresOn), Wire.Date(r.CultivationEndsOn),
        Wire.NullIfEmpty(r.Renewal), Wire.NullIfEmpty(r.Acceptance), Wire.Date(r.EndedOn), Wire.NullIfEmpty(r.EndReason), Wire.Date(r.BanUntil),
        [.. r.History.Select(h => new RecognitionEventDto(h.Kind, Wire.Date(h.On), Wire.NullIfEmpty(h.Reason), h.ActorRole, h.At.ToDateTimeOffset()))],
        r.Version);
}

/// <summary>A re-examination, preliminary check or acceptance result; passed has no default, failing needs comments.</summary>
public sealed record DecisionBody(long? ExpectedVersion, bool? Passed, string? Comments)
{
    public DecisionRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Passed = Passed ?? false, Comments = Comments ?? "",
    };
}

public sealed record RemovalBody(long? ExpectedVersion, RemovalCause? Cause, string? Description, DateOnly? OccurredOn)
{
    public RemoveRecognitionRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Cause = Cause ?? RemovalCause.Unspecified, Description = Description ?? "",
        OccurredOn = Wire.Iso(OccurredOn),
    };
}

public sealed record RevocationBody(long? ExpectedVersion, string? Reason, bool? WithBan)
{
    public RevokeRecognitionRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Reason = Reason ?? "", WithBan = WithBan ?? false,
    };
}

public sealed record DeadlineDto(string RecognitionId, string FactoryName, string RegionCode, Level Level, string Kind, DateOnly? DueOn, int DaysLeft)
{
    public static DeadlineDto From(Deadline d) => new(d.RecognitionId, d.FactoryName, d.RegionCode, d.Level, d.Kind, Wire.Date(d.DueOn), d.DaysLeft);
}
