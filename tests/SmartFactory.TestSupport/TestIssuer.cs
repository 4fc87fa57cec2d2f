using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
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
/// signs tokens shaped like Keycloak's, so services validate them through the real JwtBearer path. Its token endpoint
/// grants client credentials to the clients a test registers, as Keycloak does for a service account.
/// </summary>
public sealed class TestIssuer : IAsyncLifetime
{
    public const string Audience = "smartfactory";
    /// <summary>What Keycloak gives an access token by default (the realm's accessTokenLifespan).</summary>
    public const int ServiceTokenSeconds = 300;

    private readonly ConcurrentDictionary<string, string> clients = new();
    private int tokenRequests;

    private readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };
    private readonly RsaSecurityKey foreignKey = new(RSA.Create(2048)) { KeyId = "foreign" };
    private WebApplication? app;

    /// <summary>The realm URL, as Keycloak's <c>http://host/realms/smartfactory</c>.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>How many times the token endpoint granted a token: for tests of a client's caching.</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    /// <summary>A confidential client with a service account (realm role <c>service</c>), as in the realm export.</summary>
    public void RegisterClient(string clientId, string secret) => clients[clientId] = secret;

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
        app.MapPost("/realms/smartfactory/protocol/openid-connect/token", Grant);
        await app.StartAsync();
        Authority = $"{app.Urls.First()}/realms/smartfactory";
    }

    public async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }

    /// <summary>
    /// Keycloak's token endpoint for the client credentials grant, with the client authenticated by form fields or
    /// HTTP Basic. Its errors are Keycloak's: an unknown client invalid_client, a wrong secret unauthorized_client.
    /// </summary>
    private async Task<IResult> Grant(HttpRequest request)
    {
        if (!request.HasFormContentType) return OAuthError(400, "invalid_request", "Missing form parameter: grant_type");
        var form = await request.ReadFormAsync();
        string? clientId = form["client_id"], secret = form["client_secret"];
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Scheme == "Basic" && header.Parameter is { } basic)
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(basic)).Split(':', 2);
            (clientId, secret) = (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }
        if (form["grant_type"] != "client_credentials")
            return OAuthError(400, "unsupported_grant_type", "Unsupported grant_type");
        if (clientId is null || !clients.TryGetValue(clientId, out var expected))
            return OAuthError(401, "invalid_client", "Invalid client or Invalid client credentials");
        if (secret != expected)
            return OAuthError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
        Interlocked.Increment(ref tokenRequests);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = ServiceToken(clientId),
            ["expires_in"] = ServiceTokenSeconds,
            ["refresh_expires_in"] = 0,
            ["token_type"] = "Bearer",
            ["not-before-policy"] = 0,
            ["scope"] = "profile email",
        });
    }

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);

    /// <summary>
    /// A service account's token as Keycloak issues it for client credentials: realm role <c>service</c>, <c>azp</c>
    /// the client, the service-account user's name, and no region or credit code (that user has neither).
    /// </summary>
    public string ServiceToken(string clientId = "smartfactory-notices", TokenOptions? options = null)
    {
        options ??= new TokenOptions();
        var now = DateTime.UtcNow;
        var lifetime = options.Lifetime ?? TimeSpan.FromSeconds(ServiceTokenSeconds);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer ?? Authority,
            Audience = options.Audience ?? Audience,
            // Keycloak's service-account user has a fixed id per client.
            Subject = new ClaimsIdentity([new Claim("sub", "service-account-" + clientId)]),
            Claims = new Dictionary<string, object>
            {
                ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { "service" } },
                ["azp"] = clientId,
                ["client_id"] = clientId,
                ["preferred_username"] = "service-account-" + clientId,
                ["typ"] = "Bearer",
            },
            IssuedAt = now + lifetime - TimeSpan.FromSeconds(ServiceTokenSeconds),
            NotBefore = now + lifetime - TimeSpan.FromSeconds(ServiceTokenSeconds),
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(options.ForeignKey ? foreignKey : key, SecurityAlgorithms.RsaSha256),
        });
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
