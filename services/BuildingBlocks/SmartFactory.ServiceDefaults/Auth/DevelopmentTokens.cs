using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SmartFactory.ServiceDefaults.Auth;

/// <summary>
/// Stands in for Keycloak on a developer's machine: the RSA key in <c>Auth:DevelopmentKeyFile</c> (made by
/// `./dev up`), trusted only in the Development environment, and tokens shaped like Keycloak's
/// (realm_access.roles, region, credit_code). Outside Development a configured key stops the process.
/// </summary>
public sealed class DevelopmentTokens
{
    public const string Issuer = "smartfactory-development";

    private readonly string audience;

    public DevelopmentTokens(IConfiguration configuration, IHostEnvironment environment)
    {
        audience = configuration[ServiceSettings.Keys.AuthAudience] ?? Authentication.DefaultAudience;
        if (configuration[ServiceSettings.Keys.AuthDevelopmentKeyFile] is not { Length: > 0 } path) return;
        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                $"Auth:DevelopmentKeyFile is set in the {environment.EnvironmentName} environment; the development issuer runs only in Development");
        if (!File.Exists(path)) throw new InvalidOperationException($"Auth:DevelopmentKeyFile {path} does not exist (./dev up creates it)");
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        Key = new RsaSecurityKey(rsa) { KeyId = "development" };
    }

    /// <summary>The development signing key, or null where none is trusted.</summary>
    public RsaSecurityKey? Key { get; }

    public string Issue(string role, string region, string? creditCode, string? name, TimeSpan lifetime)
    {
        var key = Key ?? throw new InvalidOperationException("no development key is configured");
        var claims = new Dictionary<string, object>
        {
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = new[] { role } },
            ["region"] = region,
            ["name"] = name ?? role,
            ["preferred_username"] = name ?? role,
        };
        if (creditCode is not null) claims["credit_code"] = creditCode;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", $"dev-{role}-{region}-{creditCode}")]),
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
