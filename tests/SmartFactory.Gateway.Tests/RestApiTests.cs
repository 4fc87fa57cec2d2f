extern alias registry;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using registry::SmartFactory.Registry.Domain;
using SmartFactory.TestSupport;

namespace SmartFactory.Gateway.Tests;

/// <summary>The registry's REST API through the gateway over HTTP, with real tokens.</summary>
public class RestApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private string Province => fixture.Issuer.Token("province", "420000");


    private async Task<JsonElement> Register(string region, params string[] factoryRegions)
    {
        var response = await fixture.Send(HttpMethod.Post, "/api/v1/enterprises", Province, new
        {
            creditCode = CreditCodes.New(region), name = "企业" + Guid.NewGuid().ToString("N")[..6], regionCode = region,
            industryCode = "38", size = "medium", nature = "state_owned",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var enterprise = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/enterprises/{enterprise.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        foreach (var factoryRegion in factoryRegions)
        {
            var created = await fixture.Send(HttpMethod.Post, "/api/v1/factories", Province, new
            {
                enterpriseId = enterprise.GetProperty("id").GetString(), name = "工厂" + Guid.NewGuid().ToString("N")[..6],
                address = "某路1号", regionCode = factoryRegion, industryCode = "38",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        return enterprise;
    }

    [Fact]
    public async Task A_city_token_lists_only_that_citys_factories()
    {
        await Register("420100", "420100", "420500");
        await Register("420500", "420500");
        var response = await fixture.Send(HttpMethod.Get, "/api/v1/factories?pageSize=100", fixture.Issuer.Token("city", "420500"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        var regions = page.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("regionCode").GetString()).ToList();
        Assert.True(regions.Count >= 2);
        Assert.All(regions, r => Assert.Equal("420500", r));
        Assert.Equal(regions.Count, page.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Enterprises_come_back_with_readable_enums_and_chinese()
    {
        var enterprise = await Register("420100");
        var response = await fixture.Send(HttpMethod.Get, $"/api/v1/enterprises/{enterprise.GetProperty("id").GetString()}", Province);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"size\":\"medium\"", text);
        Assert.Contains("\"nature\":\"state_owned\"", text);
        Assert.Contains("\"name\":\"企业", text);
    }

    [Fact]
    public async Task Bad_input_is_a_problem_naming_every_field_in_the_callers_words()
    {
        var response = await fixture.Send(HttpMethod.Post, "/api/v1/enterprises", fixture.Issuer.Token("city", "420100"),
            new { creditCode = "91420100MA4KL3XK1A", name = "", regionCode = "420600", industryCode = "47", size = "large" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("INVALID_ARGUMENT", problem.GetProperty("grpcStatus").GetString());
        Assert.Equal(["creditCode", "name", "regionCode", "industryCode", "nature"],
            problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task An_unknown_enum_value_names_its_field()
    {
        var response = await fixture.Send(HttpMethod.Post, "/api/v1/enterprises", Province, new { creditCode = CreditCodes.New("420100"), size = "huge" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("size", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Duplicates_conflict_and_stale_versions_conflict()
    {
        var enterprise = await Register("420100");
        var again = await fixture.Send(HttpMethod.Post, "/api/v1/enterprises", Province, new
        {
            creditCode = enterprise.GetProperty("creditCode").GetString(), name = "另一家", regionCode = "420100", industryCode = "38",
            size = "small", nature = "private",
        });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("ALREADY_EXISTS", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grpcStatus").GetString());

        var id = enterprise.GetProperty("id").GetString();
        var update = new { expectedVersion = 1, name = "新名称", regionCode = "420100", industryCode = "38", size = "small", nature = "private" };
        Assert.Equal(HttpStatusCode.OK, (await fixture.Send(HttpMethod.Put, $"/api/v1/enterprises/{id}", Province, update)).StatusCode);
        var stale = await fixture.Send(HttpMethod.Put, $"/api/v1/enterprises/{id}", Province, update);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("ABORTED", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("grpcStatus").GetString());
    }

    [Fact]
    public async Task Out_of_scope_is_404_and_no_token_is_401_both_as_problems()
    {
        var enterprise = await Register("421100");
        var hidden = await fixture.Send(HttpMethod.Get, $"/api/v1/enterprises/{enterprise.GetProperty("id").GetString()}", fixture.Issuer.Token("city", "420100"));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal("application/problem+json", hidden.Content.Headers.ContentType?.MediaType);

        var anonymous = await fixture.Send(HttpMethod.Get, "/api/v1/factories", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(401, (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());

        var expired = await fixture.Send(HttpMethod.Get, "/api/v1/factories", fixture.Issuer.Token("city", "420100",
            options: new TestSupport.TokenOptions(Lifetime: TimeSpan.FromMinutes(-5))));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_registry_routes()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/enterprises", "/api/v1/enterprises/{id}", "/api/v1/factories", "/api/v1/factories/{id}", "/api/v1/regions" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        Assert.True(paths.GetProperty("/api/v1/enterprises").TryGetProperty("post", out var post));
        Assert.True(post.GetProperty("responses").TryGetProperty("400", out _));
    }
}
