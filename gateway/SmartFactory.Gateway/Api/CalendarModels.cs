using SmartFactory.Contracts.Notices.V1;

namespace SmartFactory.Gateway.Api;

// The REST shapes of the working-day calendar, as in NoticesModels: camelCase, dates as "YYYY-MM-DD", absent values as null.

/// <summary>One break of a State Council holiday notice (e.g. 春节), bridging days included; <c>to</c> absent: the one day <c>from</c>.</summary>
public sealed record CalendarHolidayDto(string? Name, DateOnly? From, DateOnly? To);

/// <summary>The State Council General Office notice a year comes from: document number (国办发明电〔2025〕7号), date, optional URL and title.</summary>
public sealed record CalendarSourceDto(string? DocumentNumber, DateOnly? PublishedOn, string? Url, string? Title);

/// <summary>A year as the store holds it. Origin: shipped (a file of the release, seeded once) or uploaded (by the province).</summary>
public sealed record CalendarYearDto(
    int Year, CalendarSourceDto Source, IReadOnlyList<CalendarHolidayDto> Holidays, IReadOnlyList<DateOnly?> AdjustedWorkdays, string Origin,
    string? UploadedBy, DateTimeOffset StoredAt, long Version)
{
    public static CalendarYearDto From(CalendarYear y) => new(y.Year,
        new CalendarSourceDto(y.Source.DocumentNumber, Wire.Date(y.Source.PublishedOn), Wire.NullIfEmpty(y.Source.Url), Wire.NullIfEmpty(y.Source.Title)),
        [.. y.Holidays.Select(h => new CalendarHolidayDto(h.Name, Wire.Date(h.From), Wire.Date(h.To)))], [.. y.AdjustedWorkdays.Select(Wire.Date)],
        y.Origin, Wire.NullIfEmpty(y.UploadedBy), y.StoredAt.ToDateTimeOffset(), y.Version);
}

/// <summary>The years held, ascending; <c>warnings</c> for the province (e.g. next year's calendar missing from 1 November).</summary>
public sealed record CalendarDto(IReadOnlyList<CalendarYearDto> Years, IReadOnlyList<string> Warnings)
{
    public static CalendarDto From(ListCalendarYearsResponse r) => new([.. r.Years.Select(CalendarYearDto.From)], [.. r.Warnings]);
}

/// <summary>
/// The province's upload of one year: holidays (法定节假日 with their bridging days), adjusted working days (调休上班,
/// weekend days worked) and the notice they come from. <c>expectedVersion</c>: the version last read, or absent to
/// create or replace whatever is there.
/// </summary>
public sealed record PutCalendarYearBody(
    CalendarSourceDto? Source, IReadOnlyList<CalendarHolidayDto?>? Holidays, IReadOnlyList<DateOnly?>? AdjustedWorkdays, long? ExpectedVersion)
{
    public PutCalendarYearRequest ToRequest(int year) => new()
    {
        Year = year,
        Source = new CalendarSource
        {
            DocumentNumber = Source?.DocumentNumber ?? "", PublishedOn = Wire.Iso(Source?.PublishedOn), Url = Source?.Url ?? "", Title = Source?.Title ?? "",
        },
        Holidays = { (Holidays ?? []).Select(h => new CalendarHoliday { Name = h?.Name ?? "", From = Wire.Iso(h?.From), To = Wire.Iso(h?.To) }) },
        AdjustedWorkdays = { (AdjustedWorkdays ?? []).Select(Wire.Iso) },
        ExpectedVersion = ExpectedVersion ?? 0,
    };
}

/// <summary>
/// GET /api/v1/deadlines: the deadlines due (LifecycleModels' DeadlineDto); <c>warnings</c>, for the province only, what
/// the working-day calendar lacks. Kept here, beside the calendar it warns of.
/// </summary>
public sealed record DeadlinesDto(IReadOnlyList<DeadlineDto> Deadlines, IReadOnlyList<string> Warnings);
