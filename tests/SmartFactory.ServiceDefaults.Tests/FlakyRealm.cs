using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmartFactory.TestSupport;

namespace SmartFactory.ServiceDefaults.Tests;

/// <summary>
/// A realm that is restarting: its discovery document and its token endpoint each answer 503 the first
/// <paramref name="failures"/> times, then as Keycloak does, with the test issuer's service tokens.
/// </summary>
public sealed class FlakyRealm(TestIssuer issuer, int failures) : IAsyncDisposable
{
    private WebApplication? app;
    private int discoveryCalls, tokenCalls;

    public string Authority { get; private set; } = "";
    public int DiscoveryCalls => Volatile.Read(ref discoveryCalls);
    public int TokenCalls => Volatile.Read(ref tokenCalls);

    public async Task<FlakyRealm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapGet("/realms/smartfactory/.well-known/openid-configuration", () => Interlocked.Increment(ref discoveryCalls) <= failures
            ? Unavailable()
            : Results.Json(new Dictionary<string, object> { ["issuer"] = Authority, ["token_endpoint"] = $"{Authority}/protocol/openid-connect/token" }));
        app.MapPost("/realms/smartfactory/protocol/openid-connect/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            return Interlocked.Increment(ref tokenCalls) <= failures
                ? Unavailable()
                : Results.Json(new Dictionary<string, object>
                {
                    ["access_token"] = issuer.ServiceToken(form["client_id"].ToString()),
                    ["expires_in"] = TestIssuer.ServiceTokenSeconds,
                    ["token_type"] = "Bearer",
                });
        });
        await app.StartAsync();
        Authority = $"{app.Urls.First()}/realms/smartfactory";
        return this;
    }

    /// <summary>What a Keycloak behind a proxy answers while it starts.</summary>
    private static IResult Unavailable() => Results.Text("<html><body>503 Service Unavailable</body></html>", "text/html", statusCode: 503);

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
