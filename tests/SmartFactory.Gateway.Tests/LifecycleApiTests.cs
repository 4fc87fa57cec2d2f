extern alias registry;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using registry::SmartFactory.Registry.Domain;
using static SmartFactory.Gateway.Tests.GatewayFixture;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// Campaigns, applications and recognitions through the gateway over HTTP, with real tokens. The services run on the
/// real clock, so campaigns open around today.
/// </summary>
public class LifecycleApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private string Province => fixture.Province;

    private string City(string region) => fixture.City(region);

    private string Enterprise(string creditCode) => fixture.Enterprise(creditCode);

    [Fact]
    public async Task A_basic_application_goes_from_draft_to_an_active_recognition()
    {
        var campaign = await fixture.BasicRound("420100");
        var (creditCode, factory) = await fixture.RegisterFactory("420100");
        var enterprise = Enterprise(creditCode);

        var response = await fixture.Send(HttpMethod.Post, "/api/v1/applications", enterprise, Form(campaign, factory, maturity: 1));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var draft = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/applications/{Id(draft)}", response.Headers.Location?.OriginalString);
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal("basic", draft.GetProperty("level").GetString());
        Assert.Equal(Today.AddDays(-10).Iso(), draft.GetProperty("maturity").GetProperty("assessedOn").GetString());

        var edited = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Put, $"/api/v1/applications/{Id(draft)}", enterprise, new
        {
            expectedVersion = Version(draft),
            maturity = new { level = 2, assessedOn = Today.AddDays(-10).Iso(), certificateRef = "ZNZZ-2026-0042" },
            catalogEdition = "2025", scenarioIds = new[] { "2025-20", "2025-24", "2025-26" }, truthfulnessDeclared = true,
            declarations = GatewayFixture.Declarations, lastYearRevenue = 8600, legalForm = "independent",
        });
        Assert.Equal(2, edited.GetProperty("maturity").GetProperty("level").GetInt32());
        await fixture.CompleteDossier(Id(draft), creditCode, "2025-20", "2025-24", "2025-26");
        var submitted = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise,
            new { expectedVersion = Version(edited) });
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());

        var verified = await fixture.VerifyAll(Id(draft), Version(submitted), City("420100"));
        Assert.Equal(GatewayFixture.RequirementCodes, verified.GetProperty("verifications").EnumerateArray().Select(v => v.GetProperty("code").GetString()));
        var approved = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/review", City("420100"),
            new { expectedVersion = Version(verified), action = "approve", comments = "材料齐全" });
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal(["submitted", "approved"], approved.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        var recognition = approved.GetProperty("recognitionId").GetString();
        var pending = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/recognitions/{recognition}", enterprise);
        Assert.Equal("pending_publicity", pending.GetProperty("status").GetString());

        // No official skips the publicity; its result, delivered by the notices service, takes effect once however often it comes.
        var command = new { requestId = "notice-closed-" + Guid.NewGuid().ToString("N") };
        await fixture.Expect(HttpStatusCode.Forbidden, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/take-effect", City("420100"), command);
        var active = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/take-effect", fixture.Issuer.ServiceToken(), command);
        var again = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/take-effect", fixture.Issuer.ServiceToken(), command);
        Assert.Equal(recognition, Id(active));
        Assert.Equal(Id(active), Id(again));
        Assert.Equal(Version(active), Version(again));

        var read = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/recognitions/{recognition}", enterprise);
        Assert.Equal("active", read.GetProperty("status").GetString());
        Assert.Equal(Today.Iso(), read.GetProperty("effectiveOn").GetString());
        Assert.Equal(Today.AddYears(3).Iso(), read.GetProperty("expiresOn").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("endedOn").ValueKind);

        var listed = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/recognitions?factoryId={factory}&status=active", Province);
        Assert.Equal([recognition], listed.GetProperty("items").EnumerateArray().Select(Id));
        var deadlines = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/deadlines?withinDays=3660", City("420100"));
        var expiry = deadlines.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("recognitionId").GetString() == recognition);
        Assert.Equal(("expiry", Today.AddYears(3).Iso()), (expiry.GetProperty("kind").GetString(), expiry.GetProperty("dueOn").GetString()));
    }

    [Fact]
    public async Task An_advanced_application_without_basic_is_refused_with_every_broken_rule()
    {
        var basic = await fixture.BasicRound("420500");
        var advanced = await fixture.AdvancedRound(new { regionCode = "420500", count = 2 });
        var (creditCode, factory) = await fixture.RegisterFactory("420500");
        var enterprise = Enterprise(creditCode);

        // A draft is refused at once for what the factory lacks; the form is checked on submission.
        var refused = await fixture.Expect(HttpStatusCode.Conflict, HttpMethod.Post, "/api/v1/applications", enterprise, Form(advanced, factory, maturity: 1));
        Assert.Equal("FAILED_PRECONDITION", refused.GetProperty("grpcStatus").GetString());
        Assert.Equal(["先进级 needs a current 基础级 recognition; the factory holds none"], Rules(refused));

        // With basic held the draft is accepted; once the basic is revoked, submitting names every broken rule together.
        var application = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(basic, factory, maturity: 2));
        await fixture.CompleteDossier(Id(application), creditCode);
        application = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(application)}/submit", enterprise,
            new { expectedVersion = Version(application) });
        application = await fixture.VerifyAll(Id(application), Version(application), City("420500"));
        application = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(application)}/review", City("420500"),
            new { expectedVersion = Version(application), action = "approve" });
        var recognition = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/applications/{Id(application)}/take-effect",
            fixture.Issuer.ServiceToken(), new { requestId = Guid.NewGuid().ToString() });
        var draft = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", enterprise, Form(advanced, factory, maturity: 1));
        var revoked = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Post, $"/api/v1/recognitions/{Id(recognition)}/revocation", City("420500"),
            new { expectedVersion = Version(recognition), reason = "举报核实:申报数据不实", dataFraud = false });
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());

        var problem = await fixture.Expect(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/v1/applications/{Id(draft)}/submit", enterprise,
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
        var campaign = await fixture.BasicRound("420100");
        var (owner, factory) = await fixture.RegisterFactory("420100");
        var (other, _) = await fixture.RegisterFactory("420100");
        var draft = await fixture.Expect(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/applications", Enterprise(owner), Form(campaign, factory, maturity: 2));

        var hidden = await fixture.Send(HttpMethod.Get, $"/api/v1/applications/{Id(draft)}", Enterprise(other));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("application/problem+json", hidden.Content.Headers.ContentType?.MediaType);
        var list = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, $"/api/v1/applications?campaignId={campaign}", Enterprise(other));
        Assert.DoesNotContain(Id(draft), list.GetProperty("items").EnumerateArray().Select(Id));
        var mine = await fixture.Expect(HttpStatusCode.OK, HttpMethod.Get, "/api/v1/applications?status=draft&level=basic", Enterprise(owner));
        Assert.Contains(Id(draft), mine.GetProperty("items").EnumerateArray().Select(Id));
    }

    [Fact]
    public async Task Filters_and_decisions_name_the_field_they_lack()
    {
        var filter = await fixture.Expect(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/v1/recognitions?status=live&level=gold", Province);
        Assert.Equal(["level", "status"], filter.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order());

        // proto3 would read a missing "passed" as false, a failed re-examination: the gateway asks for it instead.
        var decision = await fixture.Expect(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/v1/recognitions/{Guid.NewGuid()}/renewal/decision",
            fixture.Issuer.Token("ministry", "000000"), new { expectedVersion = 1, comments = "" });
        Assert.Equal("passed", decision.GetProperty("errors")[0].GetProperty("field").GetString());

        var removal = await fixture.Expect(HttpStatusCode.BadRequest, HttpMethod.Post, $"/api/v1/recognitions/{Guid.NewGuid()}/removal", Province,
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
