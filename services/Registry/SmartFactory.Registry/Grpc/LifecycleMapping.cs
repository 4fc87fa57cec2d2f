using Google.Protobuf.WellKnownTypes;
using SmartFactory.Kernel;
using SmartFactory.Registry.Data;
using SmartFactory.Registry.Domain;
using V1 = SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Registry.Grpc;

/// <summary>Lifecycle records to and from the v1 contract.</summary>
internal static class LifecycleMapping
{
    // The domain enums follow the proto enums' order, one lower where the proto starts with UNSPECIFIED = 0;
    // numbers a client made up map to null, like UNSPECIFIED.
    public static Level? ToDomain(this V1.Level level) => Defined((Level)(int)level);

    public static V1.Level ToMessage(this Level level) => (V1.Level)(int)level;

    public static ApplicationStatus? ToDomain(this V1.ApplicationStatus status) =>
        status == V1.ApplicationStatus.Unspecified ? null : Defined((ApplicationStatus)((int)status - 1));

    public static RecognitionStatus? ToDomain(this V1.RecognitionStatus status) =>
        status == V1.RecognitionStatus.Unspecified ? null : Defined((RecognitionStatus)((int)status - 1));

    public static ReviewAction? ToDomain(this V1.ReviewAction action) => action switch
    {
        V1.ReviewAction.Approve => ReviewAction.Approve,
        V1.ReviewAction.Return => ReviewAction.Return,
        V1.ReviewAction.Reject => ReviewAction.Reject,
        V1.ReviewAction.Recommend => ReviewAction.Recommend,
        _ => null,
    };

    public static RemovalCause? ToDomain(this V1.RemovalCause cause) =>
        cause == V1.RemovalCause.Unspecified ? null : Defined((RemovalCause)((int)cause - 1));

    public static LegalForm? ToDomain(this V1.LegalForm form) =>
        form == V1.LegalForm.Unspecified ? null : Defined((LegalForm)((int)form - 1));

    public static DecisionSource? ToDomain(this V1.DecisionSource source) =>
        source == V1.DecisionSource.Unspecified ? DecisionSource.Entered : Defined((DecisionSource)((int)source - 1));

    private static T? Defined<T>(T value) where T : struct, System.Enum => System.Enum.IsDefined(value) ? value : null;

    public static V1.Campaign ToMessage(this Campaign c, DateOnly today) => new()
    {
        Id = c.Id.ToString(), Level = c.Level.ToMessage(), Year = c.Year, SubmissionOpensOn = c.SubmissionOpensOn.Iso(),
        SubmissionClosesOn = c.SubmissionClosesOn.Iso(), DecisionDueOn = c.DecisionDueOn.Iso(),
        Quotas = { c.Quotas.OrderBy(q => q.Key).Select(q => new V1.Quota { RegionCode = q.Key, Count = q.Value }) },
        CreatedAt = Timestamp.FromDateTime(c.CreatedAt), RegionCode = c.RegionCode, CatalogEdition = c.CatalogEdition,
        Status = (V1.CampaignStatus)((int)c.Status + 1), CompleteBy = c.CompleteBy.Iso(), ExtensionReason = c.ExtensionReason,
        DaysLeft = c.DaysLeft(today), ClosedOn = c.ClosedOn.Iso(), Version = c.Version,
    };

    public static V1.RoundWindow ToMessage(this RoundWindow w) => new()
    {
        Year = w.Year, OpensOn = w.OpensOn.Iso(), CompleteBy = w.CompleteBy.Iso(), SetBy = w.SetBy, SetAt = Timestamp.FromDateTime(w.SetAt),
    };

    public static V1.NationalDecision ToMessage(this NationalDecision d, IEnumerable<Guid> recognitionIds) => new()
    {
        Id = d.Id.ToString(), Level = d.Level.ToMessage(), DocumentNumber = d.DocumentNumber, DecidedOn = d.DecidedOn.Iso(), ListName = d.ListName,
        CampaignId = d.CampaignId.ToString(), ApplicationIds = { d.ApplicationIds.Select(i => i.ToString()) },
        RecognitionIds = { recognitionIds.Select(i => i.ToString()) }, CultivationEndsOn = d.CultivationEndsOn.Iso(),
        Source = (V1.DecisionSource)((int)d.Source + 1), RecordedBy = d.RecordedBy, RecordedAt = Timestamp.FromDateTime(d.RecordedAt),
    };

    public static V1.Application ToMessage(this Named<Application> named)
    {
        var a = named.Item;
        return new V1.Application
        {
            Id = a.Id.ToString(), CampaignId = a.CampaignId.ToString(), FactoryId = a.FactoryId.ToString(), FactoryName = named.FactoryName,
            EnterpriseId = a.EnterpriseId.ToString(), EnterpriseName = named.EnterpriseName, RegionCode = named.RegionCode,
            Level = a.Level.ToMessage(), Status = (V1.ApplicationStatus)((int)a.Status + 1),
            Maturity = new V1.Maturity
            {
                Level = a.Form.MaturityLevel ?? 0, AssessedOn = a.Form.MaturityAssessedOn.Iso(), CertificateRef = a.Form.CertificateRef,
            },
            CatalogEdition = a.Form.CatalogEdition,
            ScenarioIds = { a.Form.ScenarioIds },
            Kpis = { a.Form.Kpis.OrderBy(k => k.Key).Select(k => new V1.KpiValue { KpiId = k.Key, Value = k.Value }) },
            TruthfulnessDeclared = a.Form.TruthfulnessDeclared,
            Declarations = { a.Form.Declarations.Select(d => new V1.Declaration { Code = d.Code, Affirmed = d.Affirmed, Note = d.Note }) },
            LastYearRevenue = a.Form.LastYearRevenue ?? 0,
            LegalForm = a.Form.LegalForm is { } form ? (V1.LegalForm)((int)form + 1) : V1.LegalForm.Unspecified,
            Verifications = { a.Verifications.Select(v => new V1.DeclarationVerification
            {
                Code = v.Code, Confirmed = v.Confirmed, Note = v.Note, AttachmentId = v.AttachmentId?.ToString() ?? "", VerifiedByRole = v.ByRole,
                VerifiedBy = v.ByName, At = Timestamp.FromDateTime(v.At),
            }) },
            CompleteBy = named.CompleteBy.Iso(),
            Warnings = { a.Warnings },
            History = { a.History.Select(h => new V1.ReviewEntry
            {
                Action = h.Action, ActorRole = h.ActorRole, ActorName = h.ActorName, Comments = h.Comments, At = Timestamp.FromDateTime(h.At),
            }) },
            RecognitionId = a.RecognitionId?.ToString() ?? "",
            Version = a.Version,
            CreatedAt = Timestamp.FromDateTime(a.CreatedAt),
            UpdatedAt = Timestamp.FromDateTime(a.UpdatedAt),
        };
    }

    public static V1.Recognition ToMessage(this Named<Recognition> named)
    {
        var r = named.Item;
        return new V1.Recognition
        {
            Id = r.Id.ToString(), FactoryId = r.FactoryId.ToString(), FactoryName = named.FactoryName, EnterpriseId = r.EnterpriseId.ToString(),
            EnterpriseName = named.EnterpriseName, RegionCode = named.RegionCode, IndustryCode = named.IndustryCode, Level = r.Level.ToMessage(),
            Year = r.Year, ApplicationId = r.ApplicationId.ToString(), Status = (V1.RecognitionStatus)((int)r.Status + 1),
            EffectiveOn = r.EffectiveOn.Iso(), ExpiresOn = r.ExpiresOn.Iso(), CultivationEndsOn = r.CultivationEndsOn.Iso(),
            Renewal = SnakeCase.StepName(r.Renewal), Acceptance = SnakeCase.StepName(r.Acceptance), EndedOn = r.EndedOn.Iso(), EndReason = r.EndReason ?? "", BanUntil = r.BanUntil.Iso(),
            History = { r.History.Select(h => new V1.RecognitionEvent
            {
                Kind = h.Kind, On = h.On.Iso(), Reason = h.Reason, ActorRole = h.ActorRole, At = Timestamp.FromDateTime(h.At),
            }) },
            Version = r.Version,
            NationalDecision = r.NationalDecision ?? "",
            PlaqueAwardedOn = r.PlaqueAwardedOn.Iso(),
        };
    }
}
