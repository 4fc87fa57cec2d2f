extern alias registry;
using System.Net;
using System.Text.Json;
using MiniExcelLibs;
using registry::SmartFactory.Registry.Domain;
using static SmartFactory.Gateway.Tests.GatewayFixture;

namespace SmartFactory.Gateway.Tests;

/// <summary>Recommendation lists and spot checks through the gateway over HTTP, with real tokens, on the real clock.</summary>
public class OversightApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly string[] AllAreas = registry::SmartFactory.Registry.Data.ReferenceFiles.Read().Edition("2025")!.Stages
        .GroupBy(s => s.Area).Select(g => g.First().Scenarios[0].Id).ToArray();

    [Fact]
    public async Task A_citys_ranked_recommendation_exports_as_the_xlsx_form_003_第十一条()
    {
        const string Suizhou = "421300";
        var city = fixture.City(Suizhou);
        var advanced = await fixture.AdvancedRound(new { regionCode = Suizhou, count = 3 });
        var year = Today.Month <= 6 ? Today.Year : Today.Year + 1; // the round complete by the 30 June to come
        var (first, firstFactory) = await AdvancedApplication(Suizhou, advanced);
        var (second, secondFactory) = await AdvancedApplication(Suizhou, advanced);

        var list = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/recommendation-lists", city, new { campaignId = advanced });
        list = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/recommendation-lists/{Id(list)}/entries", city, new
        {
            expectedVersion = Version(list),
            entries = new object[] { new { applicationId = second, reason = "全流程数字孪生" }, new { applicationId = first } },
        });
        list = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/recommendation-lists/{Id(list)}/submit", city,
            new { expectedVersion = Version(list) });
        Assert.Equal(("submitted", "随州市"), (list.GetProperty("status").GetString(), list.GetProperty("recommenderName").GetString()));

        // The province, which recognizes advanced, exports it; another city finds no such list.
        var response = await fixture.Send(HttpMethod.Get, $"/api/v1/recommendation-lists/{Id(list)}/export", fixture.Province);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{year}年随州市先进级智能工厂推荐汇总表.xlsx", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains($"filename*=UTF-8''{Uri.EscapeDataString($"{year}年随州市先进级智能工厂推荐汇总表.xlsx")}",
            response.Content.Headers.GetValues("Content-Disposition").Single());

        using var sheet = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["排序", "企业名称", "工厂名称", "所在地区", "所属行业", "智能制造成熟度等级", "推荐理由"], rows[0].Keys);
        Assert.Equal([(1d, secondFactory, "随州市", "全流程数字孪生"), (2d, firstFactory, "随州市", "")],
            rows.Select(r => (Convert.ToDouble(r["排序"]), r["工厂名称"]?.ToString(), r["所在地区"]?.ToString(), r["推荐理由"]?.ToString() ?? "")));
        Assert.All(rows, r => Assert.Equal("38 电气机械和器材制造业", r["所属行业"]?.ToString()));
        Assert.All(rows, r => Assert.Equal(2d, Convert.ToDouble(r["智能制造成熟度等级"])));
        Assert.All(rows, r => Assert.StartsWith("企业", r["企业名称"]?.ToString()));

        var hidden = await fixture.Expect(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/recommendation-lists/{Id(list)}/export", fixture.City("420100"));
        Assert.Equal(404, hidden.GetProperty("status").GetInt32());
        await fixture.Expect(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/v1/recommendation-lists/{Id(list)}/entries", city,
            new { expectedVersion = Version(list), entries = Array.Empty<object>() });
    }

    [Fact]
    public async Task A_drawn_spot_check_records_its_finding_and_the_enterprise_sees_it_003_第十条()
    {
        const string Enshi = "422800";
        var (creditCode, recognition) = await BasicRecognition(Enshi);
        var round = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/spot-check-rounds", fixture.Province, new
        {
            name = "基础级智能工厂抽查", levels = new[] { "basic" }, draw = new { perCity = 1, seed = 2026 },
        });
        Assert.Equal(("drawn", 2026L), (round.GetProperty("selection").GetString(), round.GetProperty("seed").GetInt64()));
        var check = round.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("regionCode").GetString() == Enshi);
        Assert.Equal(recognition, check.GetProperty("recognitionId").GetString());

        var refused = await fixture.Expect(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/v1/spot-checks/{Id(check)}/outcome", fixture.Province, new
        {
            expectedVersion = Version(check), inspectedOn = Today.Iso(), outcome = "rectification", rectificationDueOn = Today.Iso(),
        });
        Assert.Equal(["findings", "rectificationDueOn"], Fields(refused));
        var recorded = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/spot-checks/{Id(check)}/outcome", fixture.Province, new
        {
            expectedVersion = Version(check), findings = "设备联网率不足", inspectedOn = Today.Iso(), outcome = "rectification",
            rectificationDueOn = Today.AddDays(60).Iso(),
        });
        Assert.Equal("rectifying", recorded.GetProperty("status").GetString());

        var own = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/spot-checks/{Id(check)}", fixture.Enterprise(creditCode));
        Assert.Equal(("设备联网率不足", Today.AddDays(60).Iso()), (own.GetProperty("findings").GetString(), own.GetProperty("rectificationDueOn").GetString()));
        await fixture.Expect(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/v1/spot-check-rounds/{Id(round)}", fixture.Enterprise(creditCode));
        var deadlines = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/deadlines?withinDays=90", fixture.City(Enshi));
        Assert.Contains(deadlines.GetProperty("deadlines").EnumerateArray(), d => d.GetProperty("kind").GetString() == "spot_check_rectification_due"
            && d.GetProperty("recognitionId").GetString() == recognition);
    }

    private async Task<(string CreditCode, string RecognitionId)> BasicRecognition(string region)
    {
        var campaign = await fixture.BasicRound(region);
        var (creditCode, factory) = await fixture.RegisterFactory(region);
        var enterprise = fixture.Enterprise(creditCode);
        var draft = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(campaign, factory, maturity: 2));
        await fixture.CompleteDossier(Id(draft), creditCode);
        var submitted = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise,
            new { expectedVersion = Version(draft) });
        var verified = await fixture.VerifyAll(Id(draft), Version(submitted), fixture.City(region));
        await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/review", fixture.City(region),
            new { expectedVersion = Version(verified), action = "approve" });
        var active = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/take-effect", fixture.Issuer.ServiceToken(),
            new { requestId = "notice-closed-" + Guid.NewGuid().ToString("N") });
        Assert.Equal("active", active.GetProperty("status").GetString());
        return (creditCode, Id(active));
    }

    /// <summary>A factory of the region recognized basic, its advanced application submitted: (application id, factory name).</summary>
    private async Task<(string ApplicationId, string FactoryName)> AdvancedApplication(string region, string campaign)
    {
        var (creditCode, recognition) = await BasicRecognition(region);
        var factory = (await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/recognitions/{recognition}", fixture.Province)).GetProperty("factoryId").GetString()!;
        var enterprise = fixture.Enterprise(creditCode);
        var draft = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, new
        {
            campaignId = campaign, factoryId = factory,
            maturity = new { level = 2, assessedOn = Today.AddDays(-10).Iso(), certificateRef = "ZNZZ-2026-0042" },
            catalogEdition = "2025", scenarioIds = AllAreas, truthfulnessDeclared = true,
            declarations = GatewayFixture.Declarations, lastYearRevenue = 8600, legalForm = "independent",
        });
        await fixture.CompleteDossier(Id(draft), creditCode, AllAreas);
        await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise, new { expectedVersion = Version(draft) });
        var named = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/factories/{factory}", fixture.Province);
        return (Id(draft), named.GetProperty("name").GetString()!);
    }
}
