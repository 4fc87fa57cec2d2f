using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace SmartFactory.ServiceDefaults.Auth;

/// <summary>
/// Keycloak bearer tokens: issuer, audience, lifetime and signature (keys from the realm's discovery document),
/// then Keycloak's <c>realm_access.roles</c> become role claims. Settings under <c>Auth</c>:
/// <c>Authority</c> (the realm URL), <c>Audience</c>, <c>RequireHttpsMetadata</c>, and in Development only
/// <c>DevelopmentKeyFile</c> for tokens from the gateway's development issuer; <c>ClientId</c> and <c>ClientSecret</c>
/// for the service's own token (<see cref="ServiceTokens"/>). Read when the options are first
/// needed, so hosts and tests can still change configuration after registration.
/// </summary>
public static class Authentication
{
    public const string DefaultAudience = "smartfactory";

    public static void AddKeycloakAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DevelopmentTokens>();
        // The service's own token for calls without a user behind them (client credentials).
        builder.Services.AddHttpClient(nameof(ServiceTokens)).AddStandardResilienceHandler(ServiceTokens.ConfigureResilience);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceTokens>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, DevelopmentTokens>((options, configuration, development) =>
            {
                        // Keep JWT claim names as Keycloak sends them (sub, region, credit_code).
                options.MapInboundClaims = false;
                if (configuration[ServiceSettings.Keys.AuthAuthority] is { Length: > 0 } authority)
                {
                    options.Authority = authority;
                    options.RequireHttpsMetadata = configuration.GetValue(ServiceSettings.Keys.AuthRequireHttpsMetadata, true);
                }
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    ValidAudience = configuration[ServiceSettings.Keys.AuthAudience] ?? DefaultAudience,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    RoleClaimType = ClaimTypes.Role,
                    NameClaimType = "name",
                    // The discovery document's issuer and keys are added to these by the handler.
                    ValidIssuers = development.Key is null ? [] : [DevelopmentTokens.Issuer],
                    IssuerSigningKeys = development.Key is null ? [] : [development.Key],
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
