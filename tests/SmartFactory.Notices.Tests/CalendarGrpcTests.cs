using Grpc.Core;
using SmartFactory.Kernel;
using SmartFactory.Contracts.Notices.V1;
using SmartFactory.TestSupport;
using static SmartFactory.TestSupport.GrpcTesting;

namespace SmartFactory.Notices.Tests;

/// <summary>
/// The working-day calendar over gRPC, on a database of its own: seeded from the shipped files, uploaded by the province
/// only, read by anyone, warned of from 1 November, and a notice reaching a year without calendar drafted with a stated
/// end. The publicity periods of 003 第十条 and 003 第十二条 are counted on it. 2030 and 2031 are made-up test years.
/// </summary>
public class CalendarGrpcTests(NoticesFixture fixture) : IClassFixture<NoticesFixture>
{
    private Task<ListCalendarYearsResponse> Calendar(string? token) =>
        fixture.CallNotices<ListCalendarYearsRequest, ListCalendarYearsResponse>("ListCalendarYears", new(), token);

    private Task<CalendarYear> Put(PutCalendarYearRequest request, string? token) =>
        fixture.CallNotices<PutCalendarYearRequest, CalendarYear>("PutCalendarYear", request, token);

    private static PutCalendarYearRequest Year(int year, params (string Name, string From, string To)[] holidays) => new()
    {
        Year = year,
        Source = new CalendarSource { DocumentNumber = $"测试〔{year - 1}〕1号", PublishedOn = $"{year - 1}-11-01", Title = "测试数据" },
        Holidays = { (holidays.Length > 0 ? holidays : [("元旦", $"{year}-01-01", "")]).Select(h => new CalendarHoliday { Name = h.Name, From = h.From, To = h.To }) },
    };

    private async Task<string> ApprovedBasic(string region) =>
        (await Applications.ApprovedBasicAsync(fixture.RegistryInvoker, fixture.Issuer, region, fixture.Clock.Today())).Approved.Id;

    [Fact]
    public async Task Seeding_the_shipped_years_once_and_anyone_reads_them_with_their_sources()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2026, 6, 1));
        var calendar = await Calendar(null);
        var years = calendar.Years.ToDictionary(y => y.Year);
        Assert.Equal([2024, 2025, 2026], years.Keys.Where(y => y <= 2026).Order());
        Assert.Equal(("国办发明电〔2023〕7号", "2023-10-25", "shipped", ""),
            (years[2024].Source.DocumentNumber, years[2024].Source.PublishedOn, years[2024].Origin, years[2024].UploadedBy));
        Assert.Equal("国办发明电〔2024〕12号", years[2025].Source.DocumentNumber);
        Assert.Contains(years[2025].Holidays, h => h is { Name: "春节", From: "2025-01-28", To: "2025-02-04" });
        Assert.Empty(calendar.Warnings);

        // A restart seeds nothing again: a year stored is never written over by a file.
        await fixture.RestartNotices();
        await Calendar(fixture.City("420100"));
        Assert.Equal(3, await fixture.Database.ScalarAsync<long>("select count(*) from notices.audit_log where action = 'calendar.seeded'"));
    }

    [Fact]
    public async Task A_year_the_province_uploaded_is_never_overwritten_by_its_shipped_file()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2026, 6, 1));
        var shipped = (await Calendar(null)).Years.Single(y => y.Year == 2026);
        var upload = new PutCalendarYearRequest
        {
            Year = 2026, Source = shipped.Source.Clone(), Holidays = { shipped.Holidays }, AdjustedWorkdays = { shipped.AdjustedWorkdays },
        };
        upload.Source.Url = "https://www.gov.cn/zhengce/test-2026.htm";
        await Put(upload, fixture.Province);

        await fixture.RestartNotices();
        var after = (await Calendar(null)).Years.Single(y => y.Year == 2026);
        Assert.Equal(("uploaded", "https://www.gov.cn/zhengce/test-2026.htm"), (after.Origin, after.Source.Url));
    }

    [Fact]
    public async Task Upload_by_the_province_only_audited_before_and_after_in_its_transaction()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2029, 12, 1));
        foreach (var other in new[] { fixture.City("420100"), fixture.Ministry, fixture.Enterprise(CreditCodes.New("420100")) })
            await AssertStatus(StatusCode.PermissionDenied, () => Put(Year(2030), other));
        await AssertStatus(StatusCode.Unauthenticated, () => Put(Year(2030), null));
        Assert.DoesNotContain((await Calendar(null)).Years, y => y.Year == 2030);

        var created = await Put(Year(2030), fixture.Province);
        Assert.Equal((2030, "uploaded", 1L, "province user of 420000"), (created.Year, created.Origin, created.Version, created.UploadedBy));
        var replaced = await Put(WithVersion(Year(2030, ("元旦", "2030-01-01", ""), ("春节", "2030-02-02", "2030-02-08")), 1), fixture.Province);
        Assert.Equal((2L, 2), (replaced.Version, replaced.Holidays.Count));
        await AssertStatus(StatusCode.Aborted, () => Put(WithVersion(Year(2030), 1), fixture.Province));

        Assert.Equal(["calendar.uploaded:province:0:1", "calendar.replaced:province:1:2"], await AuditOf("2030"));
        Assert.Equal(2, (await Calendar(null)).Years.Single(y => y.Year == 2030).Holidays.Count);
    }

    [Fact]
    public async Task Upload_with_bad_input_names_every_wrong_field_and_writes_nothing()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2029, 12, 1));
        var request = new PutCalendarYearRequest
        {
            Year = 2032,
            Source = new CalendarSource { DocumentNumber = "", PublishedOn = "2031-02-30" },
            Holidays = { new CalendarHoliday { Name = "", From = "2032-01-01" }, new CalendarHoliday { Name = "春节", From = "2031-02-10", To = "2032-02-12" } },
            AdjustedWorkdays = { "2032-01-03", "2032-01-01" }, // a Saturday; a Thursday and a holiday
        };
        var before = await fixture.Database.ScalarAsync<long>("select count(*) from notices.audit_log");
        var error = await AssertStatus(StatusCode.InvalidArgument, () => Put(request, fixture.Province));
        Assert.Equal(["source.published_on", "source.document_number", "holidays[0].name", "holidays[1].from", "adjusted_workdays[1]",
            "adjusted_workdays[1]"],
            error.FieldViolations.Select(v => v.Field));
        var tooEarly = await AssertStatus(StatusCode.InvalidArgument, () => Put(Year(2023), fixture.Province));
        Assert.Contains(tooEarly.FieldViolations, v => v.Field == "year");

        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("select count(*) from notices.audit_log"));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("select count(*) from notices.calendar_years where year in (2023, 2032)"));
    }

    [Fact]
    public async Task Warning_from_1_November_for_the_province_only_when_next_years_calendar_is_missing()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2026, 10, 31));
        Assert.Empty((await Calendar(fixture.Province)).Warnings);

        fixture.Clock.SetChinaDate(new DateOnly(2026, 11, 1));
        var warning = Assert.Single((await Calendar(fixture.Province)).Warnings);
        Assert.StartsWith("the 2027 working-day calendar is missing: upload the State Council notice's holidays", warning);
        Assert.Empty((await Calendar(fixture.City("420100"))).Warnings);
        Assert.Empty((await Calendar(null)).Warnings);
    }

    [Fact]
    public async Task Drafting_a_notice_reaching_2027_003_第十条_needs_a_stated_end_and_the_notice_says_so()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2026, 12, 25));
        var application = await ApprovedBasic("420100");
        var wuhan = fixture.City("420100");
        var request = new CreateNoticeRequest { Title = "2026年武汉市基础级智能工厂拟认定名单公示（第二批）", ApplicationIds = { application } };

        var refused = await AssertStatus(StatusCode.FailedPrecondition, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", request, wuhan));
        Assert.Contains("no data for 2027", refused.Status.Detail);
        Assert.Contains("state the period's end date itself (ends_on)", refused.Status.Detail);
        request.EndsOn = "2026-12-31";
        var early = await AssertStatus(StatusCode.InvalidArgument, () => fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", request, wuhan));
        Assert.StartsWith("must be no earlier than 2027-01-01", Assert.Single(early.FieldViolations, v => v.Field == "ends_on").Description);

        request.EndsOn = "2027-01-05";
        var draft = await fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", request, wuhan);
        Assert.Equal(("2026-12-28", "2027-01-05", true), (draft.StartsOn, draft.EndsOn, draft.EndStatedByPublisher));
        await fixture.CallNotices<NoticeActionRequest, Notice>("PublishNotice", new() { Id = draft.Id, ExpectedVersion = draft.Version }, wuhan);
        var published = await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = draft.Id }, null);
        Assert.Equal((NoticeStatus.Published, "2027-01-05", true), (published.Status, published.EndsOn, published.EndStatedByPublisher));
    }

    [Fact]
    public async Task Replacing_a_year_keeps_a_published_notices_end_and_another_replica_counts_on_the_upload_at_once()
    {
        fixture.Clock.SetChinaDate(new DateOnly(2031, 3, 3)); // a Monday of a made-up 2031
        await Put(Year(2031), fixture.Province);
        var wuhan = fixture.City("420100");
        var first = await fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", new()
        {
            Title = "2031年武汉市基础级智能工厂拟认定名单公示", ApplicationIds = { await ApprovedBasic("420100") },
        }, wuhan);
        Assert.Equal(("2031-03-04", "2031-03-10", false), (first.StartsOn, first.EndsOn, first.EndStatedByPublisher)); // 4, 5, 6, 7, 10
        await fixture.CallNotices<NoticeActionRequest, Notice>("PublishNotice", new() { Id = first.Id, ExpectedVersion = first.Version }, wuhan);

        // The province replaces 2031 through another replica, with two days off inside the period.
        await using (var other = fixture.StartOtherNotices())
        {
            using var channel = other.GrpcChannel();
            await channel.CreateCallInvoker().Unary<PutCalendarYearRequest, CalendarYear>(Find("PutCalendarYear", NoticesService.Descriptor),
                Year(2031, ("元旦", "2031-01-01", ""), ("测试假日", "2031-03-05", "2031-03-06")), fixture.Province);
        }

        var second = await fixture.CallNotices<CreateNoticeRequest, Notice>("CreateNotice", new()
        {
            Title = "2031年武汉市基础级智能工厂拟认定名单公示（第二批）", ApplicationIds = { await ApprovedBasic("420100") },
        }, wuhan);
        Assert.Equal(("2031-03-04", "2031-03-12"), (second.StartsOn, second.EndsOn)); // 4, 7, 10, 11, 12
        var kept = await fixture.CallNotices<GetNoticeRequest, Notice>("GetNotice", new() { Id = first.Id }, null);
        Assert.Equal(("2031-03-10", NoticeStatus.Published), (kept.EndsOn, kept.Status));
    }

    private static PutCalendarYearRequest WithVersion(PutCalendarYearRequest request, long version)
    {
        request.ExpectedVersion = version;
        return request;
    }

    private async Task<string[]> AuditOf(string year)
    {
        var rows = await fixture.Database.ScalarAsync<string>($"""
            select string_agg(action || ':' || actor_role || ':' || coalesce(before->>'version', '0') || ':' || (after->>'version'), ',' order by id)
            from notices.audit_log where entity_type = 'calendar_year' and entity_id = '{year}' and action <> 'calendar.seeded'
            """);
        return rows?.Split(',') ?? [];
    }
}
