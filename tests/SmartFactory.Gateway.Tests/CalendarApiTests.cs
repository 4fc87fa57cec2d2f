extern alias notices;
using System.Net;
using System.Text.Json;
using SmartFactory.TestSupport;
using static SmartFactory.Gateway.Tests.GatewayFixture;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// The working-day calendar through the gateway over HTTP: anyone reads it with its sources, the province alone uploads a
/// year, the province's deadlines warn from 1 November that next year's is missing, and a notice reaching a year without
/// calendar is drafted with its end stated. The publicity periods of 003 第十条 and 003 第十二条 are counted on it. The
/// warning and the stated end run a notices service of their own on a clock the test sets; 2030 is a made-up test year.
/// </summary>
public class CalendarApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static object Year2030(string? documentNumber = "测试〔2029〕1号", string holidayName = "元旦", string adjusted = "2030-01-05") => new
    {
        source = new { documentNumber, publishedOn = "2029-11-01", url = "https://www.gov.cn/zhengce/test-2030.htm" },
        holidays = new object[] { new { name = holidayName, from = "2030-01-01" }, new { name = "春节", from = "2030-02-02", to = "2030-02-08" } },
        adjustedWorkdays = new[] { adjusted },
    };

    [Fact]
    public async Task The_public_reads_the_calendar_with_its_sources()
    {
        var calendar = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/calendar", null);
        var year2026 = calendar.GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == 2026);
        Assert.Equal(("国办发明电〔2025〕7号", "2025-11-04", "shipped"), (year2026.GetProperty("source").GetProperty("documentNumber").GetString(),
            year2026.GetProperty("source").GetProperty("publishedOn").GetString(), year2026.GetProperty("origin").GetString()));
        Assert.Contains(year2026.GetProperty("holidays").EnumerateArray(), h => h.GetProperty("name").GetString() == "春节"
            && h.GetProperty("from").GetString() == "2026-02-15" && h.GetProperty("to").GetString() == "2026-02-23");
        Assert.Contains("2026-02-14", year2026.GetProperty("adjustedWorkdays").EnumerateArray().Select(d => d.GetString()));
        Assert.Empty(calendar.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task Upload_003_第十条_by_the_province_only_every_wrong_field_at_once_and_audited()
    {
        // In 2030, when its (made-up) notice of 1 November 2029 is out.
        var clock = new TestClock(DateTimeOffset.UtcNow);
        clock.SetChinaDate(new DateOnly(2030, 6, 3));
        await using var notices = Notices(clock);
        await using var gateway = Gateway(notices);
        using var http = gateway.HttpClient();
        await Send(http, HttpMethod.Put, "/api/v1/calendar/2030", null, Year2030(), HttpStatusCode.Unauthorized);
        foreach (var other in new[] { fixture.City("420100"), fixture.Enterprise(CreditCodes.New("420100")), fixture.Issuer.Token("ministry", "000000") })
            await Send(http, HttpMethod.Put, "/api/v1/calendar/2030", other, Year2030(), HttpStatusCode.Forbidden);

        var bad = await Send(http, HttpMethod.Put, "/api/v1/calendar/2030", fixture.Province,
            Year2030(documentNumber: null, holidayName: " ", adjusted: "2030-01-07"), HttpStatusCode.BadRequest);
        Assert.Equal(["source.documentNumber", "holidays[0].name", "adjustedWorkdays[0]"], Fields(bad));
        var notAYear = await Send(http, HttpMethod.Put, "/api/v1/calendar/二〇三〇", fixture.Province, Year2030(), HttpStatusCode.BadRequest);
        Assert.Equal(["year"], Fields(notAYear));
        Assert.Equal(0, await fixture.Database.ScalarAsync<long>("select count(*) from notices.audit_log where entity_type = 'calendar_year' and entity_id = '2030'"));

        var stored = await Send(http, HttpMethod.Put, "/api/v1/calendar/2030", fixture.Province, Year2030(), HttpStatusCode.OK);
        Assert.Equal(("uploaded", 1, "province user of 420000"),
            (stored.GetProperty("origin").GetString(), stored.GetProperty("version").GetInt32(), stored.GetProperty("uploadedBy").GetString()));
        Assert.Equal("https://www.gov.cn/zhengce/test-2030.htm", stored.GetProperty("source").GetProperty("url").GetString());
        var listed = await Get(fixture.Http, "/api/v1/calendar", null); // the fixture's own replica counts on it too
        Assert.Contains(listed.GetProperty("years").EnumerateArray(), y => y.GetProperty("year").GetInt32() == 2030
            && y.GetProperty("source").GetProperty("documentNumber").GetString() == "测试〔2029〕1号");
        Assert.Equal("calendar.uploaded province 测试〔2029〕1号", await fixture.Database.ScalarAsync<string>(
            "select action || ' ' || actor_role || ' ' || (after->'data'->'source'->>'documentNumber') from notices.audit_log where entity_type = 'calendar_year' and entity_id = '2030'"));
    }

    [Fact]
    public async Task The_province_deadlines_warn_from_1_November_that_next_years_calendar_is_missing()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var notices = Notices(clock);
        await using var gateway = Gateway(notices);
        using var http = gateway.HttpClient();

        clock.SetChinaDate(new DateOnly(2026, 10, 30));
        Assert.Empty((await Get(http, "/api/v1/deadlines", fixture.Province)).GetProperty("warnings").EnumerateArray());

        clock.SetChinaDate(new DateOnly(2026, 11, 2));
        var province = await Get(http, "/api/v1/deadlines", fixture.Province);
        var warning = Assert.Single(province.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.StartsWith("the 2027 working-day calendar is missing: upload the State Council notice's holidays", warning);
        Assert.Equal(JsonValueKind.Array, province.GetProperty("deadlines").ValueKind);
        var city = await Get(http, "/api/v1/deadlines", fixture.City("420100"));
        Assert.Empty(city.GetProperty("warnings").EnumerateArray());
        Assert.Equal(warning, Assert.Single((await Get(http, "/api/v1/calendar", fixture.Province)).GetProperty("warnings").EnumerateArray()).GetString());
        Assert.Empty((await Get(http, "/api/v1/calendar", null)).GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task A_notice_reaching_2027_003_第十条_is_drafted_with_its_end_stated_and_says_so()
    {
        var application = await fixture.ApprovedBasic("420100");
        var clock = new TestClock(DateTimeOffset.UtcNow);
        clock.SetChinaDate(new DateOnly(2026, 12, 25));
        await using var notices = Notices(clock);
        await using var gateway = Gateway(notices);
        using var http = gateway.HttpClient();
        var body = new Dictionary<string, object?> { ["title"] = "2026年武汉市基础级智能工厂拟认定名单公示（年末）", ["applicationIds"] = new[] { application } };

        var refused = await Send(http, HttpMethod.Post, "/api/v1/notices", fixture.City("420100"), body, HttpStatusCode.Conflict);
        Assert.Contains("state the period's end date itself (ends_on)", refused.GetProperty("detail").GetString());

        body["endsOn"] = "2027-01-05";
        var draft = await Send(http, HttpMethod.Post, "/api/v1/notices", fixture.City("420100"), body, HttpStatusCode.Created);
        Assert.Equal(("2026-12-28", "2027-01-05", true), (draft.GetProperty("startsOn").GetString(), draft.GetProperty("endsOn").GetString(),
            draft.GetProperty("endStatedByPublisher").GetBoolean()));
    }

    private ServiceHost<notices::Program> Notices(TestClock clock) => new ServiceHost<notices::Program>(new Dictionary<string, string?>(
        fixture.SettingsWithoutDevelopmentKey())
    {
        ["Services:Registry"] = fixture.Registry.GrpcAddress.ToString(),
        ["Auth:ClientId"] = NoticesClientId,
        ["Auth:ClientSecret"] = "notices-secret",
        ["Notices:RelayEnabled"] = "false",
        ["Notices:CloseJobEnabled"] = "false",
    }, clock: clock).Start();

    private ServiceHost<Program> Gateway(ServiceHost<notices::Program> notices) => new ServiceHost<Program>(
        new Dictionary<string, string?>(fixture.SettingsWithoutDevelopmentKey())
        {
            ["Services:Registry"] = fixture.Registry.GrpcAddress.ToString(),
            ["Services:Notices"] = notices.GrpcAddress.ToString(),
        }, "Production").Start();

    private static Task<JsonElement> Get(HttpClient http, string path, string? token) => Send(http, HttpMethod.Get, path, token, null, HttpStatusCode.OK);

    private static async Task<JsonElement> Send(HttpClient http, HttpMethod method, string path, string? token, object? body, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
