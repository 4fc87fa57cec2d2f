using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of campaigns, applications and recognitions (camelCase JSON, enums as snake_case strings such as
// "pending_publicity", dates as "YYYY-MM-DD", absent values as null where proto3 says "").

public sealed record QuotaDto(string RegionCode, int Count);

/// <summary>A round: completeBy is the deadline in force (decisionDueOn, or the province's extension), daysLeft its countdown.</summary>
public sealed record CampaignDto(
    string Id, Level Level, int Year, string RegionCode, CampaignStatus Status, string CatalogEdition, DateOnly? SubmissionOpensOn,
    DateOnly? SubmissionClosesOn, DateOnly? DecisionDueOn, DateOnly? CompleteBy, int DaysLeft, string? ExtensionReason, DateOnly? ClosedOn,
    IReadOnlyList<QuotaDto> Quotas, long Version, DateTimeOffset CreatedAt)
{
    public static CampaignDto From(Campaign c) => new(c.Id, c.Level, c.Year, c.RegionCode, c.Status, c.CatalogEdition, Wire.Date(c.SubmissionOpensOn),
        Wire.Date(c.SubmissionClosesOn), Wire.Date(c.DecisionDueOn), Wire.Date(c.CompleteBy), c.DaysLeft, Wire.NullIfEmpty(c.ExtensionReason),
        Wire.Date(c.ClosedOn), [.. c.Quotas.Select(q => new QuotaDto(q.RegionCode, q.Count))], c.Version, c.CreatedAt.ToDateTimeOffset());
}

public sealed record UpdateCampaignBody(
    long? ExpectedVersion, DateOnly? SubmissionOpensOn, DateOnly? SubmissionClosesOn, DateOnly? DecisionDueOn, IReadOnlyList<QuotaDto>? Quotas)
{
    public UpdateCampaignRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, SubmissionOpensOn = Wire.Iso(SubmissionOpensOn), SubmissionClosesOn = Wire.Iso(SubmissionClosesOn),
        DecisionDueOn = Wire.Iso(DecisionDueOn), Quotas = { (Quotas ?? []).Select(q => new Quota { RegionCode = q.RegionCode ?? "", Count = q.Count }) },
    };
}

public sealed record ExtensionBody(long? ExpectedVersion, DateOnly? CompleteBy, string? Reason)
{
    public ExtendCampaignRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, CompleteBy = Wire.Iso(CompleteBy), Reason = Reason ?? "",
    };
}

public sealed record RoundWindowDto(int Year, DateOnly? OpensOn, DateOnly? CompleteBy, string SetBy, DateTimeOffset SetAt)
{
    public static RoundWindowDto From(RoundWindow w) => new(w.Year, Wire.Date(w.OpensOn), Wire.Date(w.CompleteBy), w.SetBy, w.SetAt.ToDateTimeOffset());
}

/// <summary>The province's window for the cities' basic rounds of a year; completeBy defaults to 31 March.</summary>
public sealed record RoundWindowBody(DateOnly? OpensOn, DateOnly? CompleteBy)
{
    public SetRoundWindowRequest ToRequest(int year) => new() { Year = year, OpensOn = Wire.Iso(OpensOn), CompleteBy = Wire.Iso(CompleteBy) };
}

public sealed record NationalDecisionDto(
    string Id, Level Level, string CampaignId, string DocumentNumber, DateOnly? DecidedOn, string ListName, IReadOnlyList<string> ApplicationIds,
    IReadOnlyList<string> RecognitionIds, DateOnly? CultivationEndsOn, DecisionSource Source, string RecordedBy, DateTimeOffset RecordedAt)
{
    public static NationalDecisionDto From(NationalDecision d) => new(d.Id, d.Level, d.CampaignId, d.DocumentNumber, Wire.Date(d.DecidedOn), d.ListName,
        [.. d.ApplicationIds], [.. d.RecognitionIds], Wire.Date(d.CultivationEndsOn), d.Source, d.RecordedBy, d.RecordedAt.ToDateTimeOffset());
}

/// <summary>MIIT's published decision: the applications it names, in its order; cultivationEndsOn for leading (default 2 years).</summary>
public sealed record NationalDecisionBody(
    string? CampaignId, string? DocumentNumber, DateOnly? DecidedOn, string? ListName, IReadOnlyList<string>? ApplicationIds,
    DateOnly? CultivationEndsOn, DecisionSource? Source)
{
    public RecordNationalDecisionRequest ToRequest() => new()
    {
        CampaignId = CampaignId ?? "", DocumentNumber = DocumentNumber ?? "", DecidedOn = Wire.Iso(DecidedOn), ListName = ListName ?? "",
        ApplicationIds = { (ApplicationIds ?? []).Select(i => i ?? "") }, CultivationEndsOn = Wire.Iso(CultivationEndsOn),
        Source = Source ?? DecisionSource.Unspecified,
    };
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

/// <summary>One basic requirement declared met (affirmed) or not, with a note.</summary>
public sealed record DeclarationDto(string Code, bool Affirmed, string? Note)
{
    public static DeclarationDto From(Declaration d) => new(d.Code, d.Affirmed, Wire.NullIfEmpty(d.Note));
}

public sealed record VerificationDto(string Code, bool Confirmed, string? Note, string? AttachmentId, string? VerifiedByRole, string? VerifiedBy, DateTimeOffset? At)
{
    public static VerificationDto From(DeclarationVerification v) => new(v.Code, v.Confirmed, Wire.NullIfEmpty(v.Note), Wire.NullIfEmpty(v.AttachmentId),
        v.VerifiedByRole, v.VerifiedBy, v.At?.ToDateTimeOffset());
}

public sealed record VerificationsBody(long? ExpectedVersion, IReadOnlyList<VerificationDto>? Verifications)
{
    public VerifyDeclarationsRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0,
        Verifications = { (Verifications ?? []).Select(v => new DeclarationVerification
        {
            Code = v.Code ?? "", Confirmed = v.Confirmed, Note = v.Note ?? "", AttachmentId = v.AttachmentId ?? "",
        }) },
    };
}

public sealed record ApplicationDto(
    string Id, string CampaignId, string FactoryId, string FactoryName, string EnterpriseId, string EnterpriseName, string RegionCode,
    Level Level, ApplicationStatus Status, MaturityDto Maturity, string? CatalogEdition, IReadOnlyList<string> ScenarioIds,
    IReadOnlyList<KpiValueDto> Kpis, bool TruthfulnessDeclared, IReadOnlyList<DeclarationDto> Declarations, double? LastYearRevenue,
    LegalForm? LegalForm, IReadOnlyList<VerificationDto> Verifications, IReadOnlyList<string> Warnings, IReadOnlyList<ReviewEntryDto> History,
    string? RecognitionId, DateOnly? CompleteBy, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ApplicationDto From(Application a) => new(a.Id, a.CampaignId, a.FactoryId, a.FactoryName, a.EnterpriseId, a.EnterpriseName,
        a.RegionCode, a.Level, a.Status, MaturityDto.From(a.Maturity ?? new Maturity()), Wire.NullIfEmpty(a.CatalogEdition), [.. a.ScenarioIds],
        [.. a.Kpis.Select(k => new KpiValueDto(k.KpiId, k.Value))], a.TruthfulnessDeclared, [.. a.Declarations.Select(DeclarationDto.From)],
        a.LastYearRevenue == 0 ? null : a.LastYearRevenue, a.LegalForm == Contracts.Registry.V1.LegalForm.Unspecified ? null : a.LegalForm,
        [.. a.Verifications.Select(VerificationDto.From)], [.. a.Warnings],
        [.. a.History.Select(h => new ReviewEntryDto(h.Action, h.ActorRole, h.ActorName, Wire.NullIfEmpty(h.Comments), h.At.ToDateTimeOffset()))],
        Wire.NullIfEmpty(a.RecognitionId), Wire.Date(a.CompleteBy), a.Version, a.CreatedAt.ToDateTimeOffset(), a.UpdatedAt.ToDateTimeOffset());
}

/// <summary>The form of an application: maturity, scenarios, KPIs, the basic-requirements checklist and the truth statement.</summary>
public sealed record ApplicationFormBody(
    MaturityDto? Maturity, string? CatalogEdition, IReadOnlyList<string>? ScenarioIds, IReadOnlyList<KpiValueDto>? Kpis, bool? TruthfulnessDeclared,
    IReadOnlyList<DeclarationDto>? Declarations, double? LastYearRevenue, LegalForm? LegalForm)
{
    public SaveApplicationRequest Fill(SaveApplicationRequest request)
    {
        request.Maturity = Maturity?.ToMessage();
        request.CatalogEdition = CatalogEdition ?? "";
        request.ScenarioIds.AddRange(ScenarioIds ?? []);
        request.Kpis.AddRange((Kpis ?? []).Select(k => new KpiValue { KpiId = k.KpiId ?? "", Value = k.Value }));
        request.TruthfulnessDeclared = TruthfulnessDeclared ?? false;
        request.Declarations.AddRange((Declarations ?? []).Select(d => new Declaration { Code = d.Code ?? "", Affirmed = d.Affirmed, Note = d.Note ?? "" }));
        request.LastYearRevenue = LastYearRevenue ?? 0;
        request.LegalForm = LegalForm ?? Contracts.Registry.V1.LegalForm.Unspecified;
        return request;
    }
}

/// <summary>A new draft: the campaign (which fixes the level) and the factory, and as much of the form as is ready.</summary>
public sealed record CreateApplicationBody(
    string? CampaignId, string? FactoryId, MaturityDto? Maturity, string? CatalogEdition, IReadOnlyList<string>? ScenarioIds,
    IReadOnlyList<KpiValueDto>? Kpis, bool? TruthfulnessDeclared, IReadOnlyList<DeclarationDto>? Declarations, double? LastYearRevenue,
    LegalForm? LegalForm)
{
    public SaveApplicationRequest ToRequest() =>
        new ApplicationFormBody(Maturity, CatalogEdition, ScenarioIds, Kpis, TruthfulnessDeclared, Declarations, LastYearRevenue, LegalForm)
            .Fill(new() { CampaignId = CampaignId ?? "", FactoryId = FactoryId ?? "" });
}

/// <summary>The whole form again (it replaces the saved one); campaign and factory stay as the draft started.</summary>
public sealed record UpdateApplicationBody(
    long? ExpectedVersion, MaturityDto? Maturity, string? CatalogEdition, IReadOnlyList<string>? ScenarioIds, IReadOnlyList<KpiValueDto>? Kpis,
    bool? TruthfulnessDeclared, IReadOnlyList<DeclarationDto>? Declarations, double? LastYearRevenue, LegalForm? LegalForm)
{
    public SaveApplicationRequest ToRequest(string id) =>
        new ApplicationFormBody(Maturity, CatalogEdition, ScenarioIds, Kpis, TruthfulnessDeclared, Declarations, LastYearRevenue, LegalForm)
            .Fill(new() { Id = id, ExpectedVersion = ExpectedVersion ?? 0 });
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
    string? Renewal, string? Acceptance, DateOnly? EndedOn, string? EndReason, DateOnly? BanUntil, string? NationalDecision, DateOnly? PlaqueAwardedOn,
    IReadOnlyList<RecognitionEventDto> History, long Version)
{
    public static RecognitionDto From(Recognition r) => new(r.Id, r.FactoryId, r.FactoryName, r.EnterpriseId, r.EnterpriseName, r.RegionCode,
        r.IndustryCode, r.Level, r.Year, r.ApplicationId, r.Status, Wire.Date(r.EffectiveOn), Wire.Date(r.ExpiresOn), Wire.Date(r.CultivationEndsOn),
        Wire.NullIfEmpty(r.Renewal), Wire.NullIfEmpty(r.Acceptance), Wire.Date(r.EndedOn), Wire.NullIfEmpty(r.EndReason), Wire.Date(r.BanUntil),
        Wire.NullIfEmpty(r.NationalDecision), Wire.Date(r.PlaqueAwardedOn),
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

/// <summary>dataFraud: confirmed data fraud, which always carries the 3-year ban (003 第二十条); any other cancellation carries none.</summary>
public sealed record RevocationBody(long? ExpectedVersion, string? Reason, bool? DataFraud)
{
    public RevokeRecognitionRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Reason = Reason ?? "", DataFraud = DataFraud ?? false,
    };
}

public sealed record PlaqueBody(long? ExpectedVersion, DateOnly? AwardedOn)
{
    public RecordPlaqueRequest ToRequest(string id) => new() { Id = id, ExpectedVersion = ExpectedVersion ?? 0, AwardedOn = Wire.Iso(AwardedOn) };
}

/// <summary>A clock: a recognition's (recognitionId) or a round's end (kind round_complete_by, campaignId; name then names the round).</summary>
public sealed record DeadlineDto(string? RecognitionId, string? CampaignId, string FactoryName, string RegionCode, Level Level, string Kind, DateOnly? DueOn,
    int DaysLeft)
{
    public static DeadlineDto From(Deadline d) => new(Wire.NullIfEmpty(d.RecognitionId), Wire.NullIfEmpty(d.CampaignId), d.FactoryName, d.RegionCode,
        d.Level, d.Kind, Wire.Date(d.DueOn), d.DaysLeft);
}
