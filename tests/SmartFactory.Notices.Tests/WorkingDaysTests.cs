using SmartFactory.Notices.Data;
using SmartFactory.Notices.Domain;

namespace SmartFactory.Notices.Tests;

public sealed class WorkingDaysTests
{
    private static readonly WorkingDayCalendar Calendar = CalendarFiles.Read();

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    [Fact]
    public void The_embedded_files_hold_contiguous_years()
    {
        Assert.Contains(2024, Calendar.Years);
        Assert.Contains(2025, Calendar.Years);
        Assert.Contains(2026, Calendar.Years);
        // Contiguous, so no period can silently jump a missing year.
        Assert.Equal(Enumerable.Range(Calendar.Years[0], Calendar.Years.Count), Calendar.Years);
    }

    // 2026 春节: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are worked (国办发明电〔2025〕7号).
    [Theory]
    [InlineData("2026-02-14", 5, "2026-02-27")] // the working day before the break: 14, 24, 25, 26, 27
    [InlineData("2026-02-13", 5, "2026-02-26")] // Fri 13, Sat 14, then 24, 25, 26
    [InlineData("2026-02-24", 5, "2026-02-28")] // 24, 25, 26, 27 and the adjusted Saturday 28
    [InlineData("2026-02-25", 5, "2026-03-02")] // 25, 26, 27, 28, then Mon 2 Mar (1 Mar is a normal Sunday)
    public void A_period_across_the_2026_Spring_Festival_skips_the_break_and_counts_adjusted_workdays(
        string start, int count, string end)
    {
        Assert.Equal(D(end), Calendar.AddWorkingDays(D(start), count));
    }

    // 2025 国庆节、中秋节: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are worked (国办发明电〔2024〕12号).
    [Theory]
    [InlineData("2025-09-26", 5, "2025-10-09")] // Fri 26, Sun 28, Mon 29, Tue 30, Thu 9 Oct
    [InlineData("2025-09-30", 5, "2025-10-13")] // 30, 9, 10, Sat 11, Mon 13
    [InlineData("2025-09-27", 1, "2025-09-28")] // a normal Saturday: day 1 is the adjusted Sunday
    public void A_period_across_National_Day_2025_skips_1_to_8_October(string start, int count, string end)
    {
        Assert.Equal(D(end), Calendar.AddWorkingDays(D(start), count));
    }

    [Theory]
    [InlineData("2025-09-28")] // Sunday
    [InlineData("2025-10-11")] // Saturday
    [InlineData("2026-02-14")] // Saturday
    [InlineData("2026-02-28")] // Saturday
    [InlineData("2024-02-04")] // Sunday
    public void An_adjusted_weekend_day_is_a_working_day(string day)
    {
        Assert.True(Calendar.IsWorkingDay(D(day)));
    }

    [Theory]
    [InlineData("2025-10-18")] // Saturday
    [InlineData("2025-10-19")] // Sunday
    [InlineData("2026-03-01")] // Sunday
    public void A_normal_weekend_day_is_not_a_working_day(string day)
    {
        Assert.False(Calendar.IsWorkingDay(D(day)));
    }

    [Theory]
    [InlineData("2025-10-08")] // Wednesday inside 国庆节、中秋节
    [InlineData("2026-02-23")] // Monday, last day of 春节 2026
    [InlineData("2024-06-10")] // Monday, 端午节 2024
    public void A_weekday_holiday_is_not_a_working_day(string day)
    {
        Assert.False(Calendar.IsWorkingDay(D(day)));
    }

    [Fact]
    public void A_normal_weekday_is_a_working_day()
    {
        Assert.True(Calendar.IsWorkingDay(D("2026-03-02")));
    }

    [Fact]
    public void A_period_starting_on_a_holiday_begins_on_the_next_working_day()
    {
        Assert.Equal(D("2025-10-09"), Calendar.AddWorkingDays(D("2025-10-03"), 1));
        Assert.Equal(D("2025-10-11"), Calendar.AddWorkingDays(D("2025-10-03"), 3));
        Assert.Equal(D("2026-02-24"), Calendar.AddWorkingDays(D("2026-02-15"), 1));
    }

    [Fact]
    public void NextWorkingDay_is_the_day_itself_when_it_is_worked()
    {
        Assert.Equal(D("2025-10-09"), Calendar.NextWorkingDay(D("2025-10-01")));
        Assert.Equal(D("2025-10-11"), Calendar.NextWorkingDay(D("2025-10-11")));
        Assert.Equal(D("2026-03-02"), Calendar.NextWorkingDay(D("2026-02-28").AddDays(1)));
    }

    [Fact]
    public void A_period_needs_at_least_one_working_day()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(D("2025-03-03"), 0));
    }

    [Fact]
    public void Counting_past_the_last_year_of_data_throws_and_says_how_to_add_the_year()
    {
        var last = Calendar.Years[^1];
        var missing = last + 1;

        var e = Assert.Throws<CalendarOutOfRangeException>(
            () => Calendar.AddWorkingDays(new DateOnly(last, 12, 28), 10));

        Assert.Equal(missing, e.Year);
        Assert.Contains($"no data for {missing}", e.Message);
        Assert.Contains($"PUT /api/v1/calendar/{missing}", e.Message);
        Assert.Contains("state the period's end date itself (ends_on)", e.Message);
        Assert.Contains("State Council", e.Message);
        Assert.Contains($"国务院办公厅关于{missing}年部分节假日安排的通知", e.Message);
    }

    [Fact]
    public void A_day_outside_the_data_is_an_error_not_a_guess()
    {
        var before = Calendar.Years[0] - 1;
        var after = Calendar.Years[^1] + 1;

        Assert.Throws<CalendarOutOfRangeException>(() => Calendar.IsWorkingDay(new DateOnly(before, 6, 3)));
        Assert.Throws<CalendarOutOfRangeException>(() => Calendar.IsWorkingDay(new DateOnly(after, 1, 4)));
        Assert.Throws<CalendarOutOfRangeException>(() => Calendar.NextWorkingDay(new DateOnly(after, 1, 1)));
        Assert.Throws<CalendarOutOfRangeException>(() => Calendar.YearData(after));
    }

    // Per notice: the breaks and their stated lengths, the adjusted workdays, the statutory days
    // (11 in 2024; 13 from 2025 when 春节 and 劳动节 gained a day each) and the working days in the year.
    [Theory]
    [InlineData(2024, 7, 28, 8, 11, 251)]
    [InlineData(2025, 6, 28, 5, 13, 248)]
    [InlineData(2026, 7, 33, 6, 13, 248)]
    public void Each_year_matches_its_notice(
        int year, int breaks, int daysOff, int adjustedWorkdays, int statutoryDays, int workingDays)
    {
        var data = Calendar.YearData(year);
        var off = data.Holidays
            .SelectMany(h => Enumerable.Range(0, h.To.DayNumber - h.From.DayNumber + 1).Select(h.From.AddDays))
            .ToList();
        var weekdaysOff = off.Count(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365).Select(new DateOnly(year, 1, 1).AddDays);

        Assert.Equal(breaks, data.Holidays.Count);
        Assert.Equal(daysOff, off.Count);
        Assert.Equal(adjustedWorkdays, data.AdjustedWorkdays.Count);
        // Each adjusted workday pays back one weekday off; what is left are the statutory holidays.
        Assert.Equal(statutoryDays, weekdaysOff - data.AdjustedWorkdays.Count);
        Assert.Equal(workingDays, days.Count(Calendar.IsWorkingDay));
    }

    [Fact]
    public void The_2025_notice_has_eight_days_for_Spring_Festival_and_five_for_Labour_Day()
    {
        var holidays = Calendar.YearData(2025).Holidays.ToDictionary(h => h.Name);

        Assert.Equal((D("2025-01-28"), D("2025-02-04")), (holidays["春节"].From, holidays["春节"].To));
        Assert.Equal((D("2025-05-01"), D("2025-05-05")), (holidays["劳动节"].From, holidays["劳动节"].To));
        Assert.Equal((D("2025-01-01"), D("2025-01-01")), (holidays["元旦"].From, holidays["元旦"].To));
    }

    [Fact]
    public void Each_year_names_its_source_notice()
    {
        foreach (var year in Calendar.Years)
        {
            var source = Calendar.YearData(year).Source;
            Assert.Equal($"国务院办公厅关于{year}年部分节假日安排的通知", source.Title);
            Assert.StartsWith($"国办发明电〔{year - 1}〕", source.DocumentNumber);
            Assert.Equal(year - 1, source.PublishedOn.Year);
        }

        Assert.Equal(("国办发明电〔2023〕7号", D("2023-10-25")), (Calendar.YearData(2024).Source.DocumentNumber, Calendar.YearData(2024).Source.PublishedOn));
        Assert.Equal(("国办发明电〔2024〕12号", D("2024-11-12")), (Calendar.YearData(2025).Source.DocumentNumber, Calendar.YearData(2025).Source.PublishedOn));
        Assert.Equal(("国办发明电〔2025〕7号", D("2025-11-04")), (Calendar.YearData(2026).Source.DocumentNumber, Calendar.YearData(2026).Source.PublishedOn));
    }

    [Fact]
    public void FromData_builds_a_small_calendar()
    {
        var calendar = WorkingDayCalendar.FromData([Year2030()]);

        Assert.Equal([2030], calendar.Years);
        Assert.False(calendar.IsWorkingDay(D("2030-01-01")));
        Assert.True(calendar.IsWorkingDay(D("2030-01-05"))); // the adjusted Saturday
        Assert.Equal(D("2030-01-05"), calendar.AddWorkingDays(D("2030-01-01"), 4)); // 2, 3, 4 and Sat 5
        Assert.Equal(D("2030-01-07"), calendar.AddWorkingDays(D("2030-01-01"), 5)); // then Mon 7
        Assert.Throws<CalendarOutOfRangeException>(() => calendar.AddWorkingDays(D("2030-12-30"), 3));
    }

    public static TheoryData<string, CalendarYearData> BadData => new()
    {
        { "outside 2030", Year2030() with { Holidays = [new("元旦", D("2029-12-31"), D("2030-01-01"))] } },
        { "ends before it starts", Year2030() with { Holidays = [new("元旦", D("2030-01-02"), D("2030-01-01"))] } },
        { "is a Monday, not a Saturday or Sunday", Year2030() with { AdjustedWorkdays = [D("2030-01-07")] } },
        { "is inside a holiday", Year2030() with { Holidays = [new("春节", D("2030-02-02"), D("2030-02-09"))], AdjustedWorkdays = [D("2030-02-09")] } },
        { "adjusted_workdays[0] 2031-01-04 is outside 2030", Year2030() with { AdjustedWorkdays = [D("2031-01-04")] } },
        { "source.document_number is required", Year2030() with { Source = Year2030().Source with { DocumentNumber = " " } } },
        { "source.published_on 2031-03-01 is not in 2029 or 2030", Year2030() with { Source = Year2030().Source with { PublishedOn = D("2031-03-01") } } },
        { "name the holidays of 2030", Year2030() with { Holidays = [] } },
        { "holidays[1] 2030-05-03 is also in holidays[0] (a)", Year2030() with { Holidays = [new("a", D("2030-05-01"), D("2030-05-03")), new("b", D("2030-05-03"), D("2030-05-05"))] } },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void FromData_rejects_bad_data(string problem, CalendarYearData year)
    {
        var e = Assert.Throws<InvalidDataException>(() => WorkingDayCalendar.FromData([year]));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void FromData_rejects_a_year_given_twice()
    {
        var e = Assert.Throws<InvalidDataException>(() => WorkingDayCalendar.FromData([Year2030(), Year2030()]));
        Assert.Contains("2030 appears 2 times", e.Message);
    }

    // A made-up year, so these tests do not depend on the real notices.
    private static CalendarYearData Year2030() => new(
        2030,
        new CalendarSource("test data", "国办发明电〔2029〕1号", D("2029-11-01"), null),
        [new CalendarHoliday("元旦", D("2030-01-01"), D("2030-01-01"))],
        [D("2030-01-05")]);
}
