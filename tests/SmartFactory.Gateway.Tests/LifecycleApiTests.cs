extern alias registry;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using registry::SmartFactory.Registry.Domain;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// Campaigns, applications and recognitions through the gateway over HTTP, with real tokens. The services run on the
/// real clock, so campaigns open around today.
/// </summary>
public class LifecycleApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly DateOnly Today = SmartFactory.ServiceDefaults.ChinaTime.Today(TimeProvider.System);

    private string Province => fixture.Issuer.Token("province", "420000");

    private string City(string region) => fixture.Issuer.Token("city", region);

    private string Enterprise(string creditCode) => fixture.Issuer.Token("enterprise", "420100", creditCode);

    /// <summary>An enterprise and one factory in the region, registered by the province: (credit code, factory id).</summary>
    private async Task<(string CreditCode, string FactoryId)> RegisterFactory(string region)
    {
        var body = "91" + region + string.Concat(Enumerable.Range(0, 9).Select(_ => CreditCode.Alphabet[Random.Shared.Next(10)]));
        var creditCode = body + CreditCode.CheckCharacter(body);
        var enterprise = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/enterprises", Province, new
        {
            creditCode, name = "企业" + Guid.NewGuid().ToString("N")[..6], regionCode = region, industryCode = "38", size = "medium", nature = "private",
        });
        var factory = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/factories", Province, new
        {
            enterpriseId = Id(enterprise), name = "工厂" + Guid.NewGuid().ToString("N")[..6], address = "某路1号", regionCode = region, industryCode = "38",
        });
        return (creditCode, Id(factory));
    }

    /// <summary>This year's campaign of the level, open from 30 days ago to 30 days ahead; tests of this class share it.</summary>
    private async Task<string> Campaign(string level, params object[] quotas)
    {
        var created = await fixture.Send(HttpMethod.Post, "/api/v1/campaigns", Province, new
        {
            level, year = Today.Year, submissionOpensOn = Today.AddDays(-30).Iso(), submissionClosesOn = Today.AddDays(30).Iso(),
            decisionDueOn = Today.AddDays(60).Iso(), quotas,
        });
        if (created.StatusCode == HttpStatusCode.Created) return Id(await created.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        var campaigns = await Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/campaigns?year={Today.Year}", Province);
        return Id(campaigns.EnumerateArray().Single(c => c.GetProperty("level").GetString() == level));
    }

    private static object Form(string campaignId, string factoryId, int maturity) => new
    {
        campaignId, factoryId,
        maturity = new { level = maturity, assessedOn = Today.AddDays(-10).Iso(), certificateRef = "ZNZZ-2026-0042" },
        catalogEdition = "2025", scenarioIds = new[] { "2025-20", "2025-24" },
        kpis = new[] { new { kpiId = "K01", value = 85.5 } }, truthfulnessDeclared = true,
    };

    private async Task<JsonElement> Expect(HttpStatusCode status, HttpMethod method, string path, string token, object? body = null)
    {
        var response = await fixture.Send(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static string Id(JsonElement element) => element.GetProperty("id").GetString()!;

    private static long Version(JsonElement element) => element.GetProperty("version").GetInt64();

    private static string[] Rules(JsonElement problem) => [.. problem.GetProperty("rules").EnumerateArray().Select(r => r.GetString()!)];

    [Fact]
    public async Task A_basic_application_goes_from_draft_to_an_active_recognition()
    {
        var campaign = await Campaign("basic");
        var (creditCode, factory) = await RegisterFactory("420100");
        var enterprise = Enterprise(creditCode);

        var response = await fixture.Send(HttpMethod.Post, "/api/v1/applications", enterprise, Form(campaign, factory, maturity: 1));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var draft = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/applications/{Id(draft)}", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal("basic", draft.GetProperty("level").GetString());
        Assert.Equal(Today.AddDays(-10).Iso(), draft.GetProperty("maturity").GetProperty("assessedOn").GetString());

        var edited = await Expect(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/applications/{Id(draft)}", enterprise, new
        {
            expectedVersion = Version(draft),
            maturity = new { level = 2, assessedOn = Today.AddDays(-10).Iso(), certificateRef = "ZNZZ-2026-0042" },
            catalogEdition = "2025", scenarioIds = new[] { "2025-20", "2025-24", "2025-26" }, truthfulnessDeclared = true,
        });
        Assert.Equal(2, edited.GetProperty("maturity").GetProperty("level").GetInt32());
        var submitted = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise,
            new { expectedVersion = Version(edited) });
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());

        var approved = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/review", City("420100"),
            new { expectedVersion = Version(submitted), action = "approve", comments = "材料齐全" });
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal(["submitted", "approved"], approved.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        var recognition = approved.GetProperty("recognitionId").GetString();
        var pending = await Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/recognitions/{recognition}", enterprise);
        Assert.Equal("pending_publicity", pending.GetProperty("status").GetString());

        // After publicity the city makes it take effect; the same command delivered again answers the same recognition.
        var command = new { requestId = "notice-closed-" + Guid.NewGuid().ToString("N") };
        var active = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/take-effect", City("420100"), command);
        var again = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/take-effect", City("420100"), command);
        Assert.Equal(recognition, Id(active));
        Assert.Equal(Id(active), Id(again));
        Assert.Equal(Version(active), Version(again));

        var read = await Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/recognitions/{recognition}", enterprise);
        Assert.Equal("active", read.GetProperty("status").GetString());
        Assert.Equal(Today.Iso(), read.GetProperty("effectiveOn").GetString());
        Assert.Equal(Today.AddYears(3).Iso(), read.GetProperty("expiresOn").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("endedOn").ValueKind);

        var listed = await Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/recognitions?factoryId={factory}&status=active", Province);
        Assert.Equal([recognition], listed.GetProperty("items").EnumerateArray().Select(Id));
        var deadlines = await Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/deadlines?withinDays=3660", City("420100"));
        var expiry = deadlines.EnumerateArray().Single(d => d.GetProperty("recognitionId").GetString() == recognition);
        Assert.Equal(("expiry", Today.AddYears(3).Iso()), (expiry.GetProperty("kind").GetString(), expiry.GetProperty("dueOn").GetString()));
    }

    [Fact]
    public async Task An_advanced_application_without_basic_is_refused_with_every_broken_rule()
    {
        var basic = await Campaign("basic");
        var advanced = await Campaign("advanced", new { regionCode = "420500", count = 2 });
        var (creditCode, factory) = await RegisterFactory("420500");
        var enterprise = Enterprise(creditCode);

        // A draft is refused at once for what the factory lacks; the form is checked on submission.
        var refused = await Expect(HttpStatusCode.Conflict, HttpMethod.Post, "/api/v1/applications", enterprise, Form(advanced, factory, maturity: 1));
        Assert.Equal("FAILED_PRECONDITION", refused.GetProperty("grpcStatus").GetString());
        Assert.Equal(["先进级 needs a current 基础级 recognition; the factory holds none"], Rules(refused));

        // With basic held the draft is accepted; once the basic is revoked, submitting names every broken rule together.
        var application = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(basic, factory, maturity: 2));
        application = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(application)}/submit", enterprise,
            new { expectedVersion = Version(application) });
        application = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(application)}/review", City("420500"),
            new { expectedVersion = Version(application), action = "approve" });
        var recognition = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(application)}/take-effect", City("420500"),
            new { requestId = Guid.NewGuid().ToString() });
        var draft = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(advanced, factory, maturity: 1));
        var revoked = await Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/recognitions/{Id(recognition)}/revocation", City("420500"),
            new { expectedVersion = Version(recognition), reason = "举报核实:申报数据不实", withBan = false });
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());

        var problem = await Expect(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise,
            new { expectedVersion = Version(draft) });
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal([
            "先进级 needs a current 基础级 recognition; the factory holds none",
            "maturity level 1 is below the 先进级 minimum of 2 (GB/T 39116-2020)",
            "先进级 requires the construction areas 生产作业、生产管理、运营管理; the scenarios do not cover 生产管理、运营管理",
        ], Rules(problem));
    }

    [Fact]
    public async Task An_enterprise_cannot_see_another_enterprises_application()
    {
        var campaign = await Campaign("basic");
        var (owner, factory) = await RegisterFactory("420100");
        var (other, _) = await RegisterFactory("420100");
        var draft = await Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", Enterprise(owner), Form(campaign, factory, maturity: 2));

        var hidden = await fixture.Send(HttpMethod.Get, $"/api/v1/applications/{Id(draft)}", Enterprise(other));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("application/problem+json", hidden.Content.Headers.ContentType?.MediaType);
        var list = await Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/applications?campaignId={campaign}", Enterprise(other));
        Assert.DoesNotContain(Id(draft), list.GetProperty("items").EnumerateArray().Select(Id));
        var mine = await Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/applications?status=draft&level=basic", Enterprise(owner));
        Assert.Contains(Id(draft), mine.GetProperty("items").EnumerateArray().Select(Id));
    }

    [Fact]
    public async Task Filters_and_decisions_name_the_field_they_lack()
    {
        var filter = await Expect(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/v1/recognitions?status=live&level=gold", Province);
        Assert.Equal(["level", "status"], filter.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order());

        // proto3 would read a missing "passed" as false, a failed re-examination: the gateway asks for it instead.
        var decision = await Expect(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/v1/recognitions/{Guid.NewGuid()}/renewal/decision",
            fixture.Issuer.Token("ministry", "000000"), new { expectedVersion = 1, comments = "" });
        Assert.Equal("passed", decision.GetProperty("errors")[0].GetProperty("field").GetString());

        var removal = await Expect(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/v1/recognitions/{Guid.NewGuid()}/removal", Province,
            new { expectedVersion = 1, cause = "arson", description = "x" });
        Assert.Equal("cause", removal.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_lifecycle_routes()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var routes = new (string Path, string Method)[]
        {
            ("/api/v1/campaigns", "get"), ("/api/v1/campaigns", "post"),
            ("/api/v1/applications", "get"), ("/api/v1/applications", "post"), ("/api/v1/applications/{id}", "get"), ("/api/v1/applications/{id}", "put"),
            ("/api/v1/applications/{id}/submit", "post"), ("/api/v1/applications/{id}/review", "post"), ("/api/v1/applications/{id}/take-effect", "post"),
            ("/api/v1/recognitions", "get"), ("/api/v1/recognitions/{id}", "get"),
            ("/api/v1/recognitions/{id}/renewal", "post"), ("/api/v1/recognitions/{id}/renewal/decision", "post"),
            ("/api/v1/recognitions/{id}/acceptance", "post"), ("/api/v1/recognitions/{id}/acceptance/preliminary-check", "post"),
            ("/api/v1/recognitions/{id}/acceptance/decision", "post"), ("/api/v1/recognitions/{id}/removal", "post"),
            ("/api/v1/recognitions/{id}/revocation", "post"), ("/api/v1/deadlines", "get"),
        };
        foreach (var (path, method) in routes)
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path}");
        var submit = paths.GetProperty("/api/v1/applications/{id}/submit").GetProperty("post");
        Assert.Equal("SubmitApplication", submit.GetProperty("operationId").GetString());
        Assert.True(submit.GetProperty("responses").TryGetProperty("409", out _));
        Assert.False(paths.EnumerateObject().Any(p => p.Name.Contains("changes", StringComparison.Ordinal)), "the change feed stays gRPC-only");
    }
}
