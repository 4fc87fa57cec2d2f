using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SmartFactory.ServiceDefaults.Auth;

/// <summary>
/// Stands in for Keycloak on a developer's machine: an RSA key that `./dev up` generates, trusted only in the
/// Development environment, and tokens shaped like Keycloak's (realm_access.roles, region, credit_code).
/// </summary>
public sealed class DevelopmentTokens(RsaSecurityKey key, string audience)
{
    public const string Issuer = "smartfactory-development";

    public static RsaSecurityKey? TryLoad(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment()) return null;
        if (configuration["Auth:DevelopmentKeyFile"] is not { Length: > 0 } path || !File.Exists(path)) return null;
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return new RsaSecurityKey(rsa) { KeyId = "development" };
    }

    public string Issue(string role, string region, string? creditCode, string? name, TimeSpan lifetime)
    {
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
