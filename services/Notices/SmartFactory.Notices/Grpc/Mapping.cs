using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using SmartFactory.Kernel;
using SmartFactory.Notices.Domain;
using V1 = SmartFactory.Contracts.Notices.V1;

namespace SmartFactory.Notices.Grpc;

internal static class Mapping
{
    /// <summary>The notice; with <paramref name="deliveries"/> (by item id, the publishing authority's view) each item's delivery too.</summary>
    public static V1.Notice ToMessage(this Notice n, IReadOnlyDictionary<Guid, string>? deliveries = null) => new()
    {
        Id = n.Id.ToString(), Title = n.Title, Level = (Contracts.Registry.V1.Level)n.Level, AuthorityRegion = n.AuthorityRegion,
        Status = (V1.NoticeStatus)((int)n.Status + 1), StartsOn = Iso(n.StartsOn), LengthWorkingDays = n.LengthWorkingDays, EndsOn = Iso(n.EndsOn),
        Items = { n.Items.Select(i => new V1.NoticeItem
        {
            Id = i.Id.ToString(), Position = i.Position, ApplicationId = i.ApplicationId.ToString(), EnterpriseName = i.EnterpriseName,
            FactoryName = i.FactoryName, RegionCode = i.RegionCode, IndustryCode = i.IndustryCode, Level = (Contracts.Registry.V1.Level)i.Level, Outcome = i.Outcome is { } outcome ? SnakeCase.Name(outcome) : "",
            Delivery = deliveries?.GetValueOrDefault(i.Id) ?? "",
        }) },
        PublishedAt = n.PublishedAt is { } published ? Timestamp.FromDateTime(DateTime.SpecifyKind(published, DateTimeKind.Utc)) : null,
        ClosedAt = n.ClosedAt is { } closed ? Timestamp.FromDateTime(DateTime.SpecifyKind(closed, DateTimeKind.Utc)) : null,
        Version = n.Version, EndStatedByPublisher = n.EndStatedByPublisher,
    };

    public static V1.CalendarYear ToMessage(this Data.StoredCalendarYear y) => new()
    {
        Year = y.Data.Year,
        Source = new V1.CalendarSource
        {
            DocumentNumber = y.Data.Source.DocumentNumber, PublishedOn = Iso(y.Data.Source.PublishedOn), Url = y.Data.Source.Url ?? "",
            Title = y.Data.Source.Title,
        },
        Holidays = { y.Data.Holidays.Select(h => new V1.CalendarHoliday { Name = h.Name, From = Iso(h.From), To = Iso(h.To) }) },
        AdjustedWorkdays = { y.Data.AdjustedWorkdays.Select(Iso) }, Origin = SnakeCase.Name(y.Origin), UploadedBy = y.UploadedByName ?? "",
        StoredAt = Timestamp.FromDateTime(DateTime.SpecifyKind(y.StoredAt, DateTimeKind.Utc)), Version = y.Version,
    };

    public static V1.Objection ToMessage(this Objection o) => new()
    {
        Id = o.Id.ToString(), ReceiptNumber = o.ReceiptNumber, NoticeId = o.NoticeId.ToString(), ItemId = o.ItemId.ToString(),
        ObjectorName = o.ObjectorName, ContactPhone = o.ContactPhone, Organisation = o.Organisation, Grounds = o.Grounds,
        Evidence = { o.Evidence.Select(ToMessage) }, Status = SnakeCase.Name(o.Status), ResolutionReason = o.ResolutionReason,
        FiledAt = Timestamp.FromDateTime(DateTime.SpecifyKind(o.FiledAt, DateTimeKind.Utc)),
        ResolvedAt = o.ResolvedAt is { } resolved ? Timestamp.FromDateTime(DateTime.SpecifyKind(resolved, DateTimeKind.Utc)) : null,
        Version = o.Version,
    };

    public static V1.EvidenceInfo ToMessage(this EvidenceFile e) => new()
    {
        Id = e.Id.ToString(), FileName = e.FileName, ContentType = e.ContentType, Size = e.Size, Sha256 = e.Sha256,
    };

    public static EvidenceUpload ToDomain(this V1.EvidenceFile file) => new(file.FileName, file.ContentType, file.Content.ToByteArray());

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
