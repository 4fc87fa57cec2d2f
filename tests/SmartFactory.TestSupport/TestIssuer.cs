using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace SmartFactory.TestSupport;

/// <summary>What a test may change in a token to see it refused.</summary>
public sealed record TokenOptions(string? Issuer = null, string? Audience = null, TimeSpan? Lifetime = null, bool ForeignKey = false);

/// <summary>
/// A Keycloak stand-in inside the test process: it serves the realm's discovery document and JWKS over HTTP and
/// signs tokens shaped like Keycloak's, so services validate them through the real JwtBearer path.
/// </summary>
public sealed class TestIssuer : IAsyncLifetime
{
    public const string Audience = "smartfactory";

    private readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };
    private readonly RsaSecurityKey foreignKey = new(RSA.Create(2048)) { KeyId = "foreign" };
    private WebApplication? app;

    /// <summary>The realm URL, as Keycloak's <c>http://host/realms/smartfactory</c>.</summary>
    public string Authority { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapGet("/realms/smartfactory/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = $"{Authority}/protocol/openid-connect/certs",
            ["token_endpoint"] = $"{Authority}/protocol/openid-connect/token",
            ["authorization_endpoint"] = $"{Authority}/protocol/openid-connect/auth",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/realms/smartfactory/protocol/openid-connect/certs", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(key);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });
        await app.StartAsync();
        Authority = $"{app.Urls.First()}/realms/smartfactory";
    }

    public async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }

    public string Token(string role, string region, string? creditCode = null, TokenOptions? options = null) =>
        Token([role], region, creditCode, options);

    public string Token(string[] roles, string region, string? creditCode = null, TokenOptions? options = null)
    {
        options ??= new TokenOptions();
        var now = DateTime.UtcNow;
        var lifetime = options.Lifetime ?? TimeSpan.FromMinutes(5);
        var claims = new Dictionary<string, object>
        {
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = roles.Append("default-roles-smartfactory").ToArray() },
            ["region"] = region,
            ["name"] = $"{string.Join("+", roles)} user of {region}",
            ["preferred_username"] = $"{roles.FirstOrDefault()}-{region}",
            ["azp"] = "smartfactory-portal",
        };
        if (creditCode is not null) claims["credit_code"] = creditCode;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer ?? Authority,
            Audience = options.Audience ?? Audience,
            Subject = new ClaimsIdentity([new Claim("sub", Guid.NewGuid().ToString())]),
            Claims = claims,
            IssuedAt = now + lifetime - TimeSpan.FromMinutes(10),
            NotBefore = now + lifetime - TimeSpan.FromMinutes(10),
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(options.ForeignKey ? foreignKey : key, SecurityAlgorithms.RsaSha256),
        });
    }
}
