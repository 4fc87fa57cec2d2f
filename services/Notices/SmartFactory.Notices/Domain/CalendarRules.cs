using SmartFactory.Kernel;

namespace SmartFactory.Notices.Domain;

/// <summary>Where a year of the calendar came from: a file shipped with the service, or the province's upload.</summary>
public enum CalendarOrigin { Shipped, Uploaded }

/// <summary>
/// The checks one year of the working-day calendar passes, shipped (cn-YYYY.json) or uploaded by the province. The
/// publicity periods of 003 第十条 (basic, by the city), 003 第十二条 (advanced, by the province) and 004 八 (leading) are
/// counted on it, so a wrong date moves every period that crosses it: every problem is named, by its field, at once.
/// </summary>
public static class CalendarRules
{
    public const int FirstYear = 2024;
    public const int LastYear = 2100;
    // A State Council notice names 7 breaks and at most a handful of adjusted days; these leave room and stop nonsense.
    public const int MaxHolidays = 40;
    public const int MaxAdjustedWorkdays = 20;
    public const int MaxNameLength = 20;
    public const int MaxTitleLength = 200;
    public const int MaxDocumentNumberLength = 50;
    public const int MaxUrlLength = 500;

    /// <summary>
    /// The province's upload of one year, from the request's text: every wrong field at once (a ValidationException),
    /// nothing changed. A holiday without <c>to</c> is the one day <c>from</c>.
    /// </summary>
    public static CalendarYearData ParseUpload(int year, string? title, string? documentNumber, string? publishedOn, string? url,
        IReadOnlyList<(string? Name, string? From, string? To)> holidays, IReadOnlyList<string?> adjustedWorkdays, DateOnly today)
    {
        var violations = new Violations();
        if (year is < FirstYear or > LastYear) violations.Add("year", $"must be from {FirstYear} to {LastYear}");
        var source = new CalendarSource(
            violations.Optional("source.title", title, MaxTitleLength),
            documentNumber?.Trim() ?? "",
            violations.Date("source.published_on", publishedOn, required: true) ?? default,
            violations.Optional("source.url", url, MaxUrlLength) is { Length: > 0 } link ? link : null);
        if (source.Url is { } address && !(Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            violations.Add("source.url", "must be an http or https address (or empty)");

        var parsedHolidays = new List<(int, CalendarHoliday)>();
        if (holidays.Count > MaxHolidays) violations.Add("holidays", $"at most {MaxHolidays} holidays in one year (got {holidays.Count})");
        else
        {
            for (var i = 0; i < holidays.Count; i++)
            {
                var (name, from, to) = holidays[i];
                var first = violations.Date($"holidays[{i}].from", from, required: true);
                var last = string.IsNullOrWhiteSpace(to) ? first : violations.Date($"holidays[{i}].to", to, required: false);
                if (first is { } f && last is { } l) parsedHolidays.Add((i, new CalendarHoliday(name?.Trim() ?? "", f, l)));
                else violations.Required($"holidays[{i}].name", name, MaxNameLength); // the name still checked when a date is wrong
            }
        }

        var parsedAdjusted = new List<(int, DateOnly)>();
        if (adjustedWorkdays.Count > MaxAdjustedWorkdays)
            violations.Add("adjusted_workdays", $"at most {MaxAdjustedWorkdays} adjusted working days in one year (got {adjustedWorkdays.Count})");
        else
        {
            for (var i = 0; i < adjustedWorkdays.Count; i++)
                if (violations.Date($"adjusted_workdays[{i}]", adjustedWorkdays[i], required: true) is { } day) parsedAdjusted.Add((i, day));
        }

        if (year is >= FirstYear and <= LastYear)
            Check(violations, year, source, sourcePublishedKnown: !string.IsNullOrWhiteSpace(publishedOn) && source.PublishedOn != default,
                parsedHolidays, holidays.Count, parsedAdjusted, today);
        violations.ThrowIfAny();
        return new CalendarYearData(year, source with { DocumentNumber = source.DocumentNumber.Trim() },
            [.. parsedHolidays.Select(h => h.Item2 with { Name = h.Item2.Name.Trim() })], [.. parsedAdjusted.Select(a => a.Item2).Order()]);
    }

    /// <summary>
    /// The rules of one year whose dates are read: source named, holidays named and inside the year without overlaps,
    /// adjusted working days (调休上班) Saturdays or Sundays of the year that are no holiday. <paramref name="today"/> is
    /// given for an upload (the notice can not be published in the future), null for the shipped files.
    /// </summary>
    public static void Check(Violations violations, int year, CalendarSource source, bool sourcePublishedKnown,
        IReadOnlyList<(int Index, CalendarHoliday Holiday)> holidays, int holidayCount, IReadOnlyList<(int Index, DateOnly Day)> adjusted,
        DateOnly? today)
    {
        violations.Required("source.document_number", source.DocumentNumber, MaxDocumentNumberLength);
        if (sourcePublishedKnown)
        {
            // The notice for a year comes out in the autumn before it (2026's on 4 November 2025), rarely later.
            if (source.PublishedOn.Year != year - 1 && source.PublishedOn.Year != year)
                violations.Add("source.published_on", $"{source.PublishedOn:yyyy-MM-dd} is not in {year - 1} or {year}: the notice for {year} is published in the autumn before");
            else if (source.PublishedOn > today)
                violations.Add("source.published_on", $"{source.PublishedOn:yyyy-MM-dd} is in the future");
        }

        // Every notice names holidays; a year without any is a placeholder, not data.
        if (holidayCount == 0) violations.Add("holidays", $"name the holidays of {year} (元旦, 春节, …): every State Council notice has them");

        var dayOff = new Dictionary<DateOnly, (int Index, string Name)>();
        foreach (var (i, h) in holidays)
        {
            violations.Required($"holidays[{i}].name", h.Name, MaxNameLength);
            if (h.From.Year != year) violations.Add($"holidays[{i}].from", $"{h.From:yyyy-MM-dd} is outside {year}");
            if (h.To.Year != year) violations.Add($"holidays[{i}].to", $"{h.To:yyyy-MM-dd} is outside {year}");
            if (h.From > h.To) { violations.Add($"holidays[{i}].to", $"{h.To:yyyy-MM-dd} ends before it starts ({h.From:yyyy-MM-dd})"); continue; }
            if (h.From.Year != year || h.To.Year != year) continue;
            for (var day = h.From; day <= h.To; day = day.AddDays(1))
            {
                if (dayOff.TryGetValue(day, out var other))
                {
                    violations.Add($"holidays[{i}]", $"{day:yyyy-MM-dd} is also in holidays[{other.Index}] ({other.Name})");
                    break;
                }
                dayOff[day] = (i, h.Name);
            }
        }

        var seen = new HashSet<DateOnly>();
        foreach (var (i, day) in adjusted)
        {
            var field = $"adjusted_workdays[{i}]";
            if (day.Year != year) violations.Add(field, $"{day:yyyy-MM-dd} is outside {year}");
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                violations.Add(field, $"{day:yyyy-MM-dd} is a {day.DayOfWeek}, not a Saturday or Sunday: only a weekend day is an adjusted working day (调休上班)");
            if (dayOff.TryGetValue(day, out var holiday))
                violations.Add(field, $"{day:yyyy-MM-dd} is inside a holiday (holidays[{holiday.Index}], {holiday.Name}): a day is either off or worked");
            if (!seen.Add(day)) violations.Add(field, $"{day:yyyy-MM-dd} is listed twice");
        }
    }

    /// <summary>
    /// What the province must do about the calendar on <paramref name="today"/>: from 1 November, next year's calendar
    /// (its State Council notice is usually out by then), and always this year's, if the store lacks it.
    /// </summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyCollection<int> years, DateOnly today)
    {
        var missing = new List<int>();
        if (!years.Contains(today.Year)) missing.Add(today.Year);
        if (today.Month >= 11 && !years.Contains(today.Year + 1)) missing.Add(today.Year + 1);
        return [.. missing.Select(year => $"the {year} working-day calendar is missing: upload the State Council notice's holidays "
            + $"(国务院办公厅关于{year}年部分节假日安排的通知); until then a notice whose period reaches {year} needs its end date stated")];
    }
}
