using SmartFactory.Kernel;
using SmartFactory.Notices.Data;
using SmartFactory.Notices.Domain;

namespace SmartFactory.Notices.Tests;

/// <summary>
/// The province's calendar upload and the stated end of a period the calendar does not reach, as plain unit tests. The
/// publicity periods of 003 第十条 (basic), 003 第十二条 (advanced) and 004 八 (leading) are counted on this calendar.
/// Years past 2026 here are made-up test data: no State Council notice for them was at hand.
/// </summary>
public class CalendarRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly DateTime Now = new(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc);
    private static readonly CallerScope Wuhan = new("u1", "武汉市经信局", Role.City, "420100", null);
    private static readonly WorkingDayCalendar Shipped = CalendarFiles.Read();

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    private static CalendarYearData Upload(int year, string? number = "测试〔2029〕1号", string? publishedOn = "2029-11-01", string? url = null,
        (string?, string?, string?)[]? holidays = null, string?[]? adjusted = null, DateOnly? today = null) =>
        CalendarRules.ParseUpload(year, "测试数据", number, publishedOn, url, holidays ?? [("元旦", $"{year}-01-01", null)], adjusted ?? [],
            today ?? new DateOnly(2030, 6, 1));

    [Fact]
    public void Upload_003_第十条_a_valid_year_is_trimmed_a_holiday_without_to_is_one_day_and_adjusted_days_are_sorted()
    {
        var year = Upload(2030, number: " 测试〔2029〕1号 ", url: "https://www.gov.cn/zhengce/test.htm",
            holidays: [(" 元旦 ", "2030-01-01", null), ("春节", "2030-02-02", "2030-02-08")], adjusted: ["2030-02-10", "2030-01-26"]);

        Assert.Equal(("测试〔2029〕1号", D("2029-11-01"), "https://www.gov.cn/zhengce/test.htm"),
            (year.Source.DocumentNumber, year.Source.PublishedOn, year.Source.Url));
        Assert.Equal([new CalendarHoliday("元旦", D("2030-01-01"), D("2030-01-01")), new CalendarHoliday("春节", D("2030-02-02"), D("2030-02-08"))],
            year.Holidays);
        Assert.Equal([D("2030-01-26"), D("2030-02-10")], year.AdjustedWorkdays);
        Assert.False(WorkingDayCalendar.FromData([year]).IsWorkingDay(D("2030-02-04")));
    }

    [Fact]
    public void Upload_003_第十条_names_every_wrong_field_at_once()
    {
        var error = Assert.Throws<ValidationException>(() => Upload(2030, number: " ", publishedOn: "2029-13-01", url: "ftp://example.org/x",
            holidays:
            [
                ("", "2030-01-01", "2030-01-05"),     // no name
                ("春节", "2029-12-31", "2030-01-02"),  // starts in 2029
                ("清明节", "2030-04-06", "2030-04-04"), // ends before it starts
                ("劳动节", "2030-05-01", "5月5日"),      // not a date
            ],
            adjusted: ["2030-01-07", "2030-01-05", "2030-02-31", "2030-03-02", "2030-03-02"])); // a Monday, a day off, no date, twice

        Assert.Equal(
        [
            "source.published_on", "source.url", "holidays[3].to", "adjusted_workdays[2]", "source.document_number",
            "holidays[0].name", "holidays[1].from", "holidays[2].to", "adjusted_workdays[0]", "adjusted_workdays[1]", "adjusted_workdays[4]",
        ], error.Violations.Select(v => v.Field));
        var described = error.Violations.ToLookup(v => v.Field, v => v.Description);
        Assert.Contains("2029-12-31 is outside 2030", described["holidays[1].from"].Single());
        Assert.Contains("is a Monday, not a Saturday or Sunday", described["adjusted_workdays[0]"].Single());
        Assert.Contains("inside a holiday (holidays[0]", described["adjusted_workdays[1]"].Single());
        Assert.Contains("listed twice", described["adjusted_workdays[4]"].Single());
    }

    [Fact]
    public void Upload_003_第十条_a_day_both_off_and_worked_or_in_two_holidays_is_refused()
    {
        var error = Assert.Throws<ValidationException>(() => Upload(2030,
            holidays: [("元旦", "2030-01-01", null), ("春节", "2030-02-02", "2030-02-09"), ("又一个", "2030-02-09", "2030-02-10")],
            adjusted: ["2030-02-09"]));
        Assert.Equal(["holidays[2]", "adjusted_workdays[0]"], error.Violations.Select(v => v.Field));
        Assert.Contains("2030-02-09 is also in holidays[1] (春节)", error.Violations[0].Description);
    }

    [Theory]
    [InlineData(2023)]
    [InlineData(2101)]
    public void Upload_003_第十条_a_year_from_2024_to_2100(int year)
    {
        var error = Assert.Throws<ValidationException>(() => Upload(year));
        Assert.Equal("must be from 2024 to 2100", Assert.Single(error.Violations, v => v.Field == "year").Description);
    }

    [Fact]
    public void Upload_003_第十条_sizes_sources_and_dates_are_sane()
    {
        var tooMany = Assert.Throws<ValidationException>(() => Upload(2030,
            holidays: [.. Enumerable.Range(1, 41).Select(d => ((string?)"节", (string?)$"2030-01-01", (string?)null))],
            adjusted: [.. Enumerable.Range(1, 21).Select(_ => (string?)"2030-01-05")], number: new string('号', 51)));
        Assert.Equal(["holidays", "adjusted_workdays", "source.document_number"], tooMany.Violations.Select(v => v.Field));

        var future = Assert.Throws<ValidationException>(() => Upload(2030, publishedOn: "2029-11-01", today: new DateOnly(2029, 10, 1)));
        Assert.Equal("2029-11-01 is in the future", Assert.Single(future.Violations).Description);
        var wrongYear = Assert.Throws<ValidationException>(() => Upload(2030, publishedOn: "2027-11-01"));
        Assert.Contains("is not in 2029 or 2030", Assert.Single(wrongYear.Violations).Description);
        Assert.Equal("is required (YYYY-MM-DD)", Assert.Single(Assert.Throws<ValidationException>(() => Upload(2030, publishedOn: "")).Violations).Description);
    }

    [Fact]
    public void Warning_from_1_November_when_next_years_calendar_is_missing()
    {
        int[] held = [2024, 2025, 2026];
        Assert.Empty(CalendarRules.Warnings(held, new DateOnly(2026, 10, 31)));
        var warning = Assert.Single(CalendarRules.Warnings(held, new DateOnly(2026, 11, 1)));
        Assert.StartsWith("the 2027 working-day calendar is missing: upload the State Council notice's holidays", warning);
        Assert.Empty(CalendarRules.Warnings([.. held, 2027], new DateOnly(2026, 12, 31)));
        // In the new year without its calendar, this year's is missing too.
        Assert.StartsWith("the 2027 working-day calendar is missing", Assert.Single(CalendarRules.Warnings(held, new DateOnly(2027, 1, 4))));
    }

    private static Notice Draft(DateOnly today, DateOnly? endsOn, DateOnly? startsOn = null) => Notice.Draft(Wuhan, "2026年武汉市基础级智能工厂拟认定名单公示",
        [new NoticeItem(Guid.NewGuid(), 0, Guid.NewGuid(), "武汉智造汽车零部件有限公司", "总装智能工厂", "420100", "36", RecognitionLevel.Basic, null)], [],
        startsOn, 0, 5, Shipped, today, Guid.NewGuid(), Now, endsOn);

    [Fact]
    public void Stated_end_003_第十条_a_period_reaching_a_year_without_calendar_ends_when_the_publisher_states()
    {
        // Friday 25 December 2026: the period starts Monday 28; 28, 29, 30, 31 and (Monday to Friday beyond the data) 1 January.
        var notice = Draft(new DateOnly(2026, 12, 25), D("2027-01-04"));
        Assert.Equal((D("2026-12-28"), D("2027-01-04"), true), (notice.StartsOn, notice.EndsOn, notice.EndStatedByPublisher));
        Assert.Equal(D("2027-01-01"), Draft(new DateOnly(2026, 12, 25), D("2027-01-01")).EndsOn);

        var early = Assert.Throws<ValidationException>(() => Draft(new DateOnly(2026, 12, 25), D("2026-12-31")));
        Assert.Equal("ends_on", Assert.Single(early.Violations).Field);
        Assert.StartsWith("must be no earlier than 2027-01-01", early.Violations[0].Description);
        var beforeStart = Assert.Throws<ValidationException>(() => Draft(new DateOnly(2026, 12, 25), D("2026-12-27")));
        Assert.Equal("must be after the period's start, 2026-12-28", Assert.Single(beforeStart.Violations).Description);
        var far = Assert.Throws<ValidationException>(() => Draft(new DateOnly(2026, 12, 25), D("2027-03-01")));
        Assert.StartsWith("must be at most 30 days after 2027-01-01", Assert.Single(far.Violations).Description);
    }

    [Fact]
    public void Stated_end_003_第十条_a_start_beyond_the_calendar_is_the_next_weekday()
    {
        var notice = Draft(new DateOnly(2026, 12, 25), D("2027-01-11"), startsOn: D("2027-01-02"));
        Assert.Equal((D("2027-01-04"), D("2027-01-11"), true), (notice.StartsOn, notice.EndsOn, notice.EndStatedByPublisher));
    }

    [Fact]
    public void Stated_end_003_第十条_a_start_past_2100_is_a_wrong_field_not_a_count_to_the_end_of_time()
    {
        var error = Assert.Throws<ValidationException>(() => Draft(new DateOnly(2026, 12, 25), DateOnly.MaxValue, startsOn: DateOnly.MaxValue));
        Assert.Equal(("starts_on", "must be in 2100 at the latest"), (Assert.Single(error.Violations).Field, error.Violations[0].Description));
    }

    [Fact]
    public void Stated_end_003_第十条_where_the_calendar_reaches_only_the_counted_end_is_accepted()
    {
        // 2-8 April 2026 with 4-6 April off (清明): the counted end is 9 April.
        var refused = Assert.Throws<ValidationException>(() => Draft(new DateOnly(2026, 4, 1), D("2026-04-10")));
        Assert.Equal("ends_on", Assert.Single(refused.Violations).Field);
        Assert.StartsWith("the working-day calendar reaches this period's end, 2026-04-09", refused.Violations[0].Description);
        var same = Draft(new DateOnly(2026, 4, 1), D("2026-04-09"));
        Assert.Equal((D("2026-04-09"), false), (same.EndsOn, same.EndStatedByPublisher));
    }

    [Fact]
    public void Stated_end_003_第十条_without_it_a_period_beyond_the_calendar_is_refused_saying_the_end_can_be_stated()
    {
        var error = Assert.Throws<RuleViolationException>(() => Draft(new DateOnly(2026, 12, 25), null));
        Assert.Contains("no data for 2027", error.Message);
        Assert.Contains("the publishing authority may state the period's end date itself (ends_on)", error.Message);
    }

    [Fact]
    public void Weekday_bound_counts_the_calendar_where_it_has_data_and_Monday_to_Friday_beyond()
    {
        // Tuesday 29 December 2026: 29, 30, 31 from the data, then Friday 1, Monday 4 and Tuesday 5 January 2027.
        Assert.Equal((D("2026-12-29"), D("2027-01-05")), Shipped.WeekdayBound(D("2026-12-29"), 6));
        // Inside the data it is the count itself: 2026 春节 from Saturday 14 February (a worked Saturday).
        Assert.Equal((D("2026-02-14"), Shipped.AddWorkingDays(D("2026-02-14"), 5)), Shipped.WeekdayBound(D("2026-02-14"), 5));
    }
}
