
namespace SmartFactory.Notices.Domain;

/// <summary>One break from a State Council holiday notice: the days off it names, bridging days included.</summary>
public sealed record CalendarHoliday(string Name, DateOnly From, DateOnly To);

/// <summary>
/// The State Council General Office notice a year's dates come from (国务院办公厅关于YYYY年部分节假日安排的通知): its
/// document number (e.g. 国办发明电〔2025〕7号), the day it was published and, when known, where it is published.
/// </summary>
public sealed record CalendarSource(string Title, string DocumentNumber, DateOnly PublishedOn, string? Url);

/// <summary>One year of the calendar, as in a shipped cn-YYYY.json file or an upload of the province.</summary>
/// <param name="Source">The notice the dates come from.</param>
/// <param name="Holidays">Days off (法定节假日 and the bridging days of 放假调休).</param>
/// <param name="AdjustedWorkdays">Saturdays and Sundays that are working days (调休上班).</param>
public sealed record CalendarYearData(
    int Year,
    CalendarSource Source,
    IReadOnlyList<CalendarHoliday> Holidays,
    IReadOnlyList<DateOnly> AdjustedWorkdays);

/// <summary>
/// China's working-day calendar, for periods counted in working days (the publicity period, 公示期).
/// </summary>
/// <remarks>
/// The data is one year per State Council General Office notice (国务院办公厅关于YYYY年部分节假日安排的通知, published
/// in the autumn of the year before), kept in the notices schema (calendar_years): the province uploads a year, and
/// the files shipped in Data/Calendar/cn-YYYY.json (2024–2026) seed the years it has not. A day in a year without
/// data is an error (<see cref="CalendarOutOfRangeException"/>), never a guess from weekdays, because the State
/// Council moves working days every year; a notice reaching such a year states its end instead (Notice.Draft).
/// No 2027 notice was at hand when this was written (Dec 2026): 2027 is not shipped.
/// </remarks>
public sealed class WorkingDayCalendar
{

    private readonly Dictionary<int, CalendarYearData> _years;
    private readonly HashSet<DateOnly> _daysOff;
    private readonly HashSet<DateOnly> _adjustedWorkdays;

    private WorkingDayCalendar(IReadOnlyList<CalendarYearData> years)
    {
        _years = years.ToDictionary(y => y.Year);
        Years = [.. _years.Keys.Order()];
        _daysOff = [.. years.SelectMany(y => y.Holidays).SelectMany(Days)];
        _adjustedWorkdays = [.. years.SelectMany(y => y.AdjustedWorkdays)];
    }

    /// <summary>The years the data covers, ascending.</summary>
    public IReadOnlyList<int> Years { get; }

    /// <summary>A calendar from the given years, checked as the data files are (tests build small ones).</summary>
    /// <exception cref="InvalidDataException">Every problem found in the data, at once.</exception>
    public static WorkingDayCalendar FromData(IEnumerable<CalendarYearData> years)
    {
        var list = years.ToList();
        var problems = Validate(list);
        if (problems.Count > 0)
        {
            throw new InvalidDataException("The working-day calendar data is invalid: " + string.Join("; ", problems));
        }

        return new WorkingDayCalendar(list);
    }

    /// <summary>The data of one year, with the notice it comes from.</summary>
    public CalendarYearData YearData(int year) =>
        _years.TryGetValue(year, out var data) ? data : throw new CalendarOutOfRangeException(year, Years);

    /// <summary>Monday to Friday unless a holiday; Saturday and Sunday only when an adjusted workday.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        EnsureCovered(day.Year);
        if (_adjustedWorkdays.Contains(day))
        {
            return true;
        }

        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_daysOff.Contains(day);
    }

    /// <summary>The day itself if it is a working day, else the first working day after it.</summary>
    public DateOnly NextWorkingDay(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    /// <summary>
    /// The last day of a period of <paramref name="count"/> working days starting on <paramref name="start"/>:
    /// <paramref name="start"/> is day 1 if it is a working day, otherwise day 1 is the next working day.
    /// </summary>
    /// <exception cref="CalendarOutOfRangeException">The period reaches a year the data lacks.</exception>
    public DateOnly AddWorkingDays(DateOnly start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        var day = NextWorkingDay(start);
        for (var n = 1; n < count; n++)
        {
            day = NextWorkingDay(day.AddDays(1));
        }

        return day;
    }

    private void EnsureCovered(int year)
    {
        if (!_years.ContainsKey(year))
        {
            throw new CalendarOutOfRangeException(year, Years);
        }
    }

    private static IEnumerable<DateOnly> Days(CalendarHoliday holiday)
    {
        for (var day = holiday.From; day <= holiday.To; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>
    /// The earliest a period of <paramref name="count"/> working days from <paramref name="start"/> can end when the
    /// data does not reach its end: the calendar's working days where it has data, Monday to Friday beyond it. A lower
    /// bound, since the holidays of a year without data only lengthen the period; its first day is likewise the next
    /// working day, or beyond the data the next Monday to Friday.
    /// </summary>
    public (DateOnly First, DateOnly Last) WeekdayBound(DateOnly start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var first = NextWorkingOrWeekday(start);
        var day = first;
        for (var n = 1; n < count; n++)
        {
            day = NextWorkingOrWeekday(day.AddDays(1));
        }

        return (first, day);
    }

    private DateOnly NextWorkingOrWeekday(DateOnly day)
    {
        while (_years.ContainsKey(day.Year) ? !IsWorkingDay(day) : day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static List<string> Validate(List<CalendarYearData> years)
    {
        var problems = new List<string>();
        if (years.Count == 0)
        {
            problems.Add("no years");
        }

        foreach (var duplicate in years.GroupBy(y => y.Year).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key} appears {duplicate.Count()} times");
        }

        foreach (var y in years)
        {
            var year = y.Year;
            if (year is < CalendarRules.FirstYear or > CalendarRules.LastYear)
            {
                problems.Add($"{year} is not a year from {CalendarRules.FirstYear} to {CalendarRules.LastYear}");
                continue;
            }

            // FromData callers and JSON list elements can still carry nulls despite the annotations.
            var holidays = (y.Holidays ?? []).Select((h, i) => (Index: i, Holiday: h)).Where(h => h.Holiday is not null).ToList();
            if (holidays.Count != (y.Holidays?.Count ?? 0))
            {
                problems.Add($"{year}: a holiday entry is empty");
            }

            var violations = new SmartFactory.Kernel.Violations();
            if (y.Source is null) violations.Add("source", "the source notice is missing");
            CalendarRules.Check(violations, year, y.Source ?? new CalendarSource("", "", default, null), y.Source is not null, holidays,
                holidays.Count, [.. (y.AdjustedWorkdays ?? []).Select((d, i) => (i, d))], today: null);
            problems.AddRange(violations.Items.Select(v => $"{year}: {v.Field} {v.Description}"));
        }

        return problems;
    }
}

/// <summary>A day in a year the working-day data does not cover: counting there would be a guess.</summary>
public sealed class CalendarOutOfRangeException(int year, IReadOnlyList<int> coveredYears)
    : Exception(Describe(year, coveredYears))
{
    /// <summary>The year that has no data.</summary>
    public int Year { get; } = year;

    public IReadOnlyList<int> CoveredYears { get; } = coveredYears;

    private static string Describe(int year, IReadOnlyList<int> covered) =>
        $"The working-day calendar has no data for {year} (it holds {(covered.Count == 0 ? "no years" : string.Join(", ", covered))}). "
        + $"The province uploads {year} from the State Council General Office notice 国务院办公厅关于{year}年部分节假日安排的通知 "
        + $"(PUT /api/v1/calendar/{year}); until then the publishing authority may state the period's end date itself (ends_on).";
}
