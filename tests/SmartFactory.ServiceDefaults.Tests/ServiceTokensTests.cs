using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.TestSupport;

namespace SmartFactory.ServiceDefaults.Tests;

/// <summary>A service's own token: Keycloak's client credentials (the test issuer's token endpoint), or in Development a local one.</summary>
public sealed class ServiceTokensTests : IAsyncLifetime
{
    private readonly TestIssuer issuer = new();
    private readonly TestClock clock = new(DateTimeOffset.UtcNow);
    private readonly List<WebApplication> apps = [];

    public Task InitializeAsync() => issuer.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in apps) await app.DisposeAsync();
        await issuer.DisposeAsync();
    }

    /// <summary>ServiceTokens as a host gets it from AddKeycloakAuthentication, on the test's clock.</summary>
    private ServiceTokens Tokens(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKeycloakAuthentication();
        builder.Services.AddSingleton<TimeProvider>(clock);
        var app = builder.Build();
        apps.Add(app);
        return app.Services.GetRequiredService<ServiceTokens>();
    }

    private Dictionary<string, string?> Keycloak(string secret) => new()
    {
        ["Auth:Authority"] = issuer.Authority, ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:ClientId"] = "smartfactory-notices", ["Auth:ClientSecret"] = secret,
    };

    [Fact]
    public async Task Client_credentials_give_a_service_token_cached_until_a_minute_before_it_expires()
    {
        issuer.RegisterClient("smartfactory-notices", "s3cret");
        var tokens = Tokens("Production", Keycloak("s3cret"));

        var first = new JsonWebToken(await tokens.GetAsync(CancellationToken.None));
        Assert.Equal(("smartfactory-notices", issuer.Authority), (first.GetClaim("azp").Value, first.Issuer));
        Assert.Contains("\"service\"", first.GetClaim("realm_access").Value);
        Assert.False(first.TryGetClaim("region", out _));
        Assert.Equal(1, issuer.TokenRequests);

        clock.Advance(TimeSpan.FromSeconds(TestIssuer.ServiceTokenSeconds - 61));
        Assert.Equal(first.EncodedToken, await tokens.GetAsync(CancellationToken.None));
        Assert.Equal(1, issuer.TokenRequests);

        clock.Advance(TimeSpan.FromSeconds(2));
        await tokens.GetAsync(CancellationToken.None);
        Assert.Equal(2, issuer.TokenRequests);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_as_keycloak_refuses_it()
    {
        issuer.RegisterClient("smartfactory-notices", "s3cret");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens("Production", Keycloak("wrong")).GetAsync(CancellationToken.None));
        Assert.Contains("401", error.Message);
        Assert.Contains("unauthorized_client", error.Message);
        Assert.DoesNotContain("wrong", error.Message);
    }

    [Fact]
    public async Task A_realm_answering_503_once_is_asked_again_and_the_token_comes()
    {
        await using var realm = await new FlakyRealm(issuer, failures: 1).StartAsync();
        var settings = Keycloak("s3cret");
        settings["Auth:Authority"] = realm.Authority;

        var token = new JsonWebToken(await Tokens("Production", settings).GetAsync(CancellationToken.None));
        Assert.Equal("smartfactory-notices", token.GetClaim("azp").Value);
        Assert.Equal((2, 2), (realm.DiscoveryCalls, realm.TokenCalls));
    }

    [Fact]
    public async Task A_realm_that_stays_down_is_a_clear_error_after_the_retries()
    {
        await using var realm = await new FlakyRealm(issuer, failures: int.MaxValue).StartAsync();
        var settings = Keycloak("s3cret");
        settings["Auth:Authority"] = realm.Authority;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens("Production", settings).GetAsync(CancellationToken.None));
        Assert.Contains("503", error.Message);
        Assert.Equal((4, 0), (realm.DiscoveryCalls, realm.TokenCalls)); // the first try and 3 retries
    }

    [Fact]
    public async Task Without_a_client_secret_or_over_plain_http_nothing_is_sent()
    {
        var noSecret = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens("Production", Keycloak("")).GetAsync(CancellationToken.None));
        Assert.Contains("Auth:ClientSecret", noSecret.Message);
        var settings = Keycloak("s3cret");
        settings.Remove("Auth:RequireHttpsMetadata");
        var plain = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens("Production", settings).GetAsync(CancellationToken.None));
        Assert.Contains("not HTTPS", plain.Message);
        Assert.Equal(0, issuer.TokenRequests);
    }

    [Fact]
    public async Task Neither_keycloak_nor_a_development_key_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Tokens("Development", []).GetAsync(CancellationToken.None));
        Assert.Contains("Auth:Authority", error.Message);
        Assert.Contains("Auth:DevelopmentKeyFile", error.Message);
    }

    [Fact]
    public async Task In_development_without_an_authority_the_development_key_signs_a_service_token()
    {
        var keyFile = Path.GetTempFileName();
        try
        {
            using (var rsa = RSA.Create(2048)) await File.WriteAllTextAsync(keyFile, rsa.ExportRSAPrivateKeyPem());
            var tokens = Tokens("Development", new() { ["Auth:DevelopmentKeyFile"] = keyFile, ["Auth:ClientId"] = "smartfactory-notices" });
            var token = new JsonWebToken(await tokens.GetAsync(CancellationToken.None));
            Assert.Equal((DevelopmentTokens.Issuer, "smartfactory-notices"), (token.Issuer, token.GetClaim("name").Value));
            Assert.Contains("\"service\"", token.GetClaim("realm_access").Value);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
}
