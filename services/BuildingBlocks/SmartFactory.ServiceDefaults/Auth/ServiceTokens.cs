using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;

namespace SmartFactory.ServiceDefaults.Auth;

/// <summary>
/// The calling service's own bearer token (realm role <c>service</c>), for commands sent where no user's token exists,
/// such as an outbox relay in the background. With <c>Auth:Authority</c> set: Keycloak's client credentials grant,
/// as <c>Auth:ClientId</c> with <c>Auth:ClientSecret</c>, at the token endpoint the realm's discovery document names,
/// cached until 60 s before it expires. Without an authority, in Development with the development key: a local
/// development token. Settings are read on each call, so hosts and tests may still change configuration. The realm is
/// asked through the standard resilience handler (<see cref="ConfigureResilience"/>), so a Keycloak that restarts or
/// sheds load for a moment costs a retry, not a failed delivery.
/// </summary>
public sealed class ServiceTokens(IConfiguration configuration, IHostEnvironment environment, DevelopmentTokens development,
    IHttpClientFactory httpClients, TimeProvider time)
{
    private const string RealmRole = "service";

    /// <summary>Renewed this long before it expires, so a token handed out still lives through the call it is for.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DevelopmentLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// For the token client: Keycloak answers a token request in milliseconds, so an attempt that takes 5 s is hung and
    /// is cut off to try again; up to 3 retries of a transient failure (5xx, 408, 429, a dropped connection), 0.5 s
    /// apart and doubling, all within the 15 s a gRPC call is given by default. Both requests are safe to repeat: the
    /// discovery document is a GET, and a client credentials grant changes nothing but hands out another token.
    /// </summary>
    public static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
    }

    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Key, string Token, DateTimeOffset RenewAt)? cached;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var authority = configuration[ServiceSettings.Keys.AuthAuthority]?.TrimEnd('/') ?? "";
        var clientId = configuration[ServiceSettings.Keys.AuthClientId] ?? "";
        var useDevelopment = authority.Length == 0 && environment.IsDevelopment() && development.Key is not null;
        if (authority.Length == 0 && !useDevelopment)
            throw new InvalidOperationException(
                "no service token can be had: set Auth:Authority with Auth:ClientId and Auth:ClientSecret (Keycloak client credentials), " +
                "or in Development Auth:DevelopmentKeyFile without an authority");

        // Keyed by where and as whom it was issued, so a configuration change is not answered by an old token.
        var key = $"{authority}|{clientId}";
        if (cached is { } hit && hit.Key == key && time.GetUtcNow() < hit.RenewAt) return hit.Token;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } again && again.Key == key && time.GetUtcNow() < again.RenewAt) return again.Token;
            var (token, lifetime) = useDevelopment
                ? (development.Issue(RealmRole, "000000", null, clientId.Length > 0 ? clientId : RealmRole, DevelopmentLifetime), DevelopmentLifetime)
                : await ClientCredentialsAsync(authority, clientId, cancellationToken);
            cached = (key, token, time.GetUtcNow() + lifetime - RenewBefore);
            return token;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> ClientCredentialsAsync(string authority, string clientId,
        CancellationToken cancellationToken)
    {
        var secret = configuration[ServiceSettings.Keys.AuthClientSecret] ?? "";
        if (clientId.Length == 0 || secret.Length == 0)
            throw new InvalidOperationException("Auth:ClientId and Auth:ClientSecret are required for a service token from Auth:Authority");
        // The same rule JwtBearer applies to the metadata: a secret is not sent over plain HTTP unless allowed.
        if (configuration.GetValue(ServiceSettings.Keys.AuthRequireHttpsMetadata, true) && !authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Auth:Authority {authority} is not HTTPS; set Auth:RequireHttpsMetadata=false for a local realm");

        var http = httpClients.CreateClient(nameof(ServiceTokens));
        var discoveryUrl = $"{authority}/.well-known/openid-configuration";
        using var discovery = await ReadJsonAsync(await http.GetAsync(discoveryUrl, cancellationToken), discoveryUrl, cancellationToken);
        if (!discovery.RootElement.TryGetProperty("token_endpoint", out var endpoint) || endpoint.GetString() is not { Length: > 0 } tokenUrl)
            throw new InvalidOperationException($"{discoveryUrl} names no token_endpoint");

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        });
        using var answer = await ReadJsonAsync(await http.PostAsync(tokenUrl, form, cancellationToken), tokenUrl, cancellationToken);
        var root = answer.RootElement;
        if (!root.TryGetProperty("access_token", out var accessToken) || accessToken.GetString() is not { Length: > 0 } token)
            throw new InvalidOperationException($"{tokenUrl} answered no access_token");
        var seconds = root.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var s) ? s : 0;
        return (token, TimeSpan.FromSeconds(seconds));
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string url, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                // Keycloak answers {"error", "error_description"}; neither carries the secret.
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new InvalidOperationException(
                    $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 500 ? body[..500] : body)}");
            }
            return await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken)
                ?? throw new InvalidOperationException($"{url} answered no JSON");
        }
    }
}
