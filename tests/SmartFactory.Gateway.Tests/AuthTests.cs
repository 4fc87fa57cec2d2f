using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.TestSupport;

namespace SmartFactory.Gateway.Tests;

/// <summary>The development issuer and gRPC passing through the gateway.</summary>
public class AuthTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task In_development_a_dev_token_is_honoured_by_gateway_and_registry()
    {
        var issued = await fixture.Http.PostAsJsonAsync("/dev/token", new { role = "city", region = "420100", creditCode = (string?)null, name = "武汉市经信局" });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        var regions = await fixture.Send(HttpMethod.Get, "/api/v1/regions", token);
        Assert.Equal(HttpStatusCode.OK, regions.StatusCode);
        Assert.Equal(18, (await regions.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Fact]
    public async Task A_dev_token_request_with_wrong_fields_names_them()
    {
        var response = await fixture.Http.PostAsJsonAsync("/dev/token", new { role = "mayor", region = "42" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString());
        Assert.Equal(["role", "region"], fields);
    }

    [Fact]
    public async Task Outside_development_the_route_does_not_exist_and_the_key_is_not_trusted()
    {
        await using var production = fixture.StartGateway(fixture.SettingsWithoutDevelopmentKey(), "Production");
        using var http = production.HttpClient();
        var response = await http.PostAsJsonAsync("/dev/token", new { role = "city", region = "420100" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        // A development token (from the Development gateway) is refused by a Production gateway.
        var issued = await fixture.Http.PostAsJsonAsync("/dev/token", new { role = "province", region = "420000" });
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/factories") { Headers = { { "Authorization", "Bearer " + token } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);

        // Configuring the development key outside Development stops the process.
        var settings = fixture.SettingsWithoutDevelopmentKey();
        settings["Auth:DevelopmentKeyFile"] = fixture.DevelopmentKeyFile;
        var error = Assert.ThrowsAny<Exception>(() => fixture.StartGateway(settings, "Production"));
        Assert.Contains("the development issuer runs only in Development", error.ToString());
    }

    [Fact]
    public async Task Grpc_passes_through_the_gateway_port_to_the_registry()
    {
        using var channel = fixture.Gateway.GrpcChannel();
        var client = new RegistryService.RegistryServiceClient(channel);
        var regions = await client.ListRegionsAsync(new(),
            new Metadata { { "authorization", "Bearer " + fixture.Issuer.Token("ministry", "000000") } }, DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(18, regions.Regions.Count);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.ListRegionsAsync(new(),
            new Metadata { { "authorization", "Bearer not-a-token" } }, DateTime.UtcNow.AddSeconds(10)));
        Assert.Equal((StatusCode.Unauthenticated, "the bearer token is not valid"), (refused.StatusCode, refused.Status.Detail));
    }
}
