using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace SmartFactory.ServiceDefaults.Auth;

/// <summary>
/// Keycloak bearer tokens: issuer, audience, lifetime and signature (keys from the realm's discovery document),
/// then Keycloak's <c>realm_access.roles</c> become role claims. Settings under <c>Auth</c>:
/// <c>Authority</c> (the realm URL), <c>Audience</c>, <c>RequireHttpsMetadata</c>, and in Development only
/// <c>DevelopmentKeyFile</c> for tokens from the gateway's development issuer.
/// </summary>
public static class Authentication
{
    public const string DefaultAudience = "smartfactory";

    public static void AddKeycloakAuthentication(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Auth");
        var audience = settings["Audience"] ?? DefaultAudience;
        var developmentKey = DevelopmentTokens.TryLoad(builder.Configuration, builder.Environment);
        if (developmentKey is not null) builder.Services.AddSingleton(new DevelopmentTokens(developmentKey, audience));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            // Keep JWT claim names as Keycloak sends them (sub, region, credit_code).
            options.MapInboundClaims = false;
            if (settings["Authority"] is { Length: > 0 } authority)
            {
                options.Authority = authority;
                options.RequireHttpsMetadata = settings.GetValue("RequireHttpsMetadata", true);
            }
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                RequireExpirationTime = true,
                ValidAudience = audience,
                ClockSkew = TimeSpan.FromSeconds(30),
                RoleClaimType = ClaimTypes.Role,
                NameClaimType = "name",
                // The discovery document's issuer and keys are added to these by the handler.
                ValidIssuers = developmentKey is null ? [] : [DevelopmentTokens.Issuer],
                IssuerSigningKeys = developmentKey is null ? [] : [developmentKey],
            };
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (context.Principal?.Identity is ClaimsIdentity identity) AddRealmRoles(identity);
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
    }

    /// <summary>Keycloak puts realm roles in a JSON object claim: <c>"realm_access": {"roles": [...]}</c>.</summary>
    public static void AddRealmRoles(ClaimsIdentity identity)
    {
        foreach (var claim in identity.FindAll("realm_access").ToList())
        {
            using var json = JsonDocument.Parse(claim.Value);
            if (!json.RootElement.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Array) continue;
            foreach (var role in roles.EnumerateArray())
                if (role.GetString() is { } name) identity.AddClaim(new Claim(ClaimTypes.Role, name));
        }
    }
}
