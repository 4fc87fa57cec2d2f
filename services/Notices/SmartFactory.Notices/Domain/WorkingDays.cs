
namespace SmartFactory.Notices.Domain;

/// <summary>One break from a State Council holiday notice: the days off it names, bridging days included.</summary>
public sealed record CalendarHoliday(string Name, DateOnly From, DateOnly To);

/// <summary>One year of the calendar, as in a cn-YYYY.json data file.</summary>
/// <param name="Source">The notice the dates come from: title, document number, date published.</param>
/// <param name="Holidays">Days off (法定节假日 and the bridging days of 放假调休).</param>
/// <param name="AdjustedWorkdays">Saturdays and Sundays that are working days (调休上班).</param>
public sealed record CalendarYearData(
    int Year,
    string Source,
    IReadOnlyList<CalendarHoliday> Holidays,
    IReadOnlyList<DateOnly> AdjustedWorkdays);

/// <summary>
/// China's working-day calendar, for periods counted in working days (the publicity period, 公示期).
/// </summary>
/// <remarks>
/// The data is one file per year, Data/Calendar/cn-YYYY.json, taken from that year's notice of the State
/// Council General Office (国务院办公厅关于YYYY年部分节假日安排的通知, published in the autumn of the year
/// before). To add a year, add its file: nothing else changes. A day in a year without a file is an error
/// (<see cref="CalendarOutOfRangeException"/>), never a guess from weekdays, because the State Council moves
/// working days every year. The data holds 2024–2026. 2027 is NOT in it: no copy of its notice could be found
/// when this was written (Nov 2026), so a period reaching 2027 throws until cn-2027.json is added.
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
            // 9999 is excluded so that stepping past the last day never overflows DateOnly.
            if (year is < 1 or > 9998)
            {
                problems.Add($"{year} is not a valid year");
                continue;
            }

            if (string.IsNullOrWhiteSpace(y.Source))
            {
                problems.Add($"{year}: the source notice is missing");
            }

            // FromData callers and JSON list elements can still carry nulls despite the annotations.
            var holidays = (y.Holidays ?? []).Where(h => h is not null).ToList();
            var adjusted = y.AdjustedWorkdays ?? [];
            if (holidays.Count != (y.Holidays?.Count ?? 0))
            {
                problems.Add($"{year}: a holiday entry is empty");
            }

            // Every notice names holidays; a year without any is a placeholder, not data.
            if (holidays.Count == 0)
            {
                problems.Add($"{year}: no holidays (is the notice for {year} published yet?)");
            }

            foreach (var h in holidays)
            {
                var label = $"{year}: holiday {h.Name} {h.From:yyyy-MM-dd}..{h.To:yyyy-MM-dd}";
                if (string.IsNullOrWhiteSpace(h.Name))
                {
                    problems.Add($"{label} has no name");
                }

                if (h.From > h.To)
                {
                    problems.Add($"{label} ends before it starts");
                }

                if (h.From.Year != year || h.To.Year != year)
                {
                    problems.Add($"{label} is outside {year}");
                }
            }

            var offDays = holidays.Where(h => h.From <= h.To).SelectMany(Days).ToList();
            foreach (var day in offDays.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                problems.Add($"{year}: {day:yyyy-MM-dd} is in more than one holiday");
            }

            var offSet = offDays.ToHashSet();
            foreach (var day in adjusted)
            {
                if (day.Year != year)
                {
                    problems.Add($"{year}: adjusted workday {day:yyyy-MM-dd} is outside {year}");
                }

                if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    problems.Add($"{year}: adjusted workday {day:yyyy-MM-dd} is a {day.DayOfWeek}, not a Saturday or Sunday");
                }

                if (offSet.Contains(day))
                {
                    problems.Add($"{year}: adjusted workday {day:yyyy-MM-dd} is inside a holiday");
                }
            }

            foreach (var day in adjusted.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                problems.Add($"{year}: adjusted workday {day:yyyy-MM-dd} is listed twice");
            }
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
        $"The working-day calendar has no data for {year} (it covers {(covered.Count == 0 ? "no years" : string.Join(", ", covered))}). "
        + $"To add {year}, create services/Notices/SmartFactory.Notices/Data/Calendar/cn-{year}.json from the State Council "
        + $"General Office notice 国务院办公厅关于{year}年部分节假日安排的通知 (published in the autumn of {year - 1}): "
        + "year, source (title, document number 国办发明电〔…〕…号, date published), holidays and adjustedWorkdays.";
}
