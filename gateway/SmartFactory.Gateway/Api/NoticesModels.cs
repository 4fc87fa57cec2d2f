using SmartFactory.Contracts.Notices.V1;
using SmartFactory.Contracts.Registry.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of publicity notices (公示), objections (异议) and filings (备案), as in LifecycleModels: camelCase,
// enums as snake_case strings ("published", "basic"), dates as "YYYY-MM-DD", absent values as null.

/// <summary>
/// An approved application as a notice lists it: public fields only; outcome after closing (took_effect, rejected);
/// for the publishing authority only, the delivery of that outcome to the registry (pending, delivered, failed: …).
/// </summary>
public sealed record NoticeItemDto(
    string Id, int Position, string ApplicationId, string EnterpriseName, string FactoryName, string RegionCode, string IndustryCode,
    Level Level, string? Outcome, string? Delivery);

/// <summary>
/// A notice. <c>endStatedByPublisher</c>: the working-day calendar did not reach the period's end when it was drafted, so
/// <c>endsOn</c> is the publishing authority's own statement, not a count.
/// </summary>
public sealed record NoticeDto(
    string Id, string Title, Level Level, string AuthorityRegion, NoticeStatus Status, DateOnly? StartsOn, int LengthWorkingDays,
    DateOnly? EndsOn, IReadOnlyList<NoticeItemDto> Items, DateTimeOffset? PublishedAt, DateTimeOffset? ClosedAt, long Version,
    bool EndStatedByPublisher)
{
    public static NoticeDto From(Notice n) => new(n.Id, n.Title, (Level)n.Level, n.AuthorityRegion, n.Status, Wire.Date(n.StartsOn),
        n.LengthWorkingDays, Wire.Date(n.EndsOn),
        [.. n.Items.Select(i => new NoticeItemDto(i.Id, i.Position, i.ApplicationId, i.EnterpriseName, i.FactoryName, i.RegionCode,
            i.IndustryCode, (Level)i.Level, Wire.NullIfEmpty(i.Outcome), Wire.NullIfEmpty(i.Delivery)))],
        n.PublishedAt?.ToDateTimeOffset(), n.ClosedAt?.ToDateTimeOffset(), n.Version, n.EndStatedByPublisher);
}

/// <summary>
/// A draft of approved applications awaiting publicity, in the order listed; the period starts on the next working day by
/// default. <c>endsOn</c> only where the working-day calendar does not reach the period's end (the year's State Council
/// notice not yet uploaded): no earlier than the end counted Monday to Friday.
/// </summary>
public sealed record CreateNoticeBody(string? Title, IReadOnlyList<string>? ApplicationIds, DateOnly? StartsOn, int? LengthWorkingDays,
    DateOnly? EndsOn = null)
{
    public CreateNoticeRequest ToRequest() => new()
    {
        Title = Title ?? "", ApplicationIds = { ApplicationIds ?? [] }, StartsOn = Wire.Iso(StartsOn), LengthWorkingDays = LengthWorkingDays ?? 0,
        EndsOn = Wire.Iso(EndsOn),
    };
}

/// <summary>What the objector gets back: a receipt, never the identity they gave.</summary>
public sealed record ObjectionReceiptDto(string ReceiptNumber, string NoticeId, string ItemId, DateTimeOffset FiledAt)
{
    public static ObjectionReceiptDto From(ObjectionReceipt r) => new(r.ReceiptNumber, r.NoticeId, r.ItemId, r.FiledAt.ToDateTimeOffset());
}

public sealed record EvidenceInfoDto(string Id, string FileName, string ContentType, long Size, string Sha256)
{
    public static EvidenceInfoDto From(EvidenceInfo e) => new(e.Id, e.FileName, e.ContentType, e.Size, e.Sha256);
}

/// <summary>An objection as the publishing authority sees it, the objector's identity included. Status: pending, upheld, dismissed.</summary>
public sealed record ObjectionDto(
    string Id, string ReceiptNumber, string NoticeId, string ItemId, string ObjectorName, string ContactPhone, string? Organisation,
    string Grounds, IReadOnlyList<EvidenceInfoDto> Evidence, string Status, string? ResolutionReason, DateTimeOffset FiledAt,
    DateTimeOffset? ResolvedAt, long Version)
{
    public static ObjectionDto From(Objection o) => new(o.Id, o.ReceiptNumber, o.NoticeId, o.ItemId, o.ObjectorName, o.ContactPhone,
        Wire.NullIfEmpty(o.Organisation), o.Grounds, [.. o.Evidence.Select(EvidenceInfoDto.From)], o.Status, Wire.NullIfEmpty(o.ResolutionReason),
        o.FiledAt.ToDateTimeOffset(), o.ResolvedAt?.ToDateTimeOffset(), o.Version);
}

/// <summary>Upheld (the item is rejected when the notice closes) or dismissed; upheld has no default, and a reason is required.</summary>
public sealed record ResolutionBody(long? ExpectedVersion, bool? Upheld, string? Reason)
{
    public ResolveObjectionRequest ToRequest(string id) => new()
    {
        Id = id, ExpectedVersion = ExpectedVersion ?? 0, Upheld = Upheld ?? false, Reason = Reason ?? "",
    };
}

public sealed record FilingDto(
    string Id, string NoticeId, string NoticeTitle, Level Level, string FromRegion, string ToRegion, int ItemsTookEffect, int ItemsRejected,
    DateTimeOffset FiledAt)
{
    public static FilingDto From(Filing f) => new(f.Id, f.NoticeId, f.NoticeTitle, (Level)f.Level, f.FromRegion, f.ToRegion, f.ItemsTookEffect,
        f.ItemsRejected, f.FiledAt.ToDateTimeOffset());
}

/// <summary>The multipart form of an objection (OpenAPI only: the route reads the form itself, to answer problems that name the field).</summary>
public sealed record ObjectionForm(
    string ItemId, string ObjectorName, string ContactPhone, string Grounds, string? Organisation = null, IFormFileCollection? Evidence = null);
