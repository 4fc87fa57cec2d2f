using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Gateway.Api;

public sealed record DevelopmentTokenBody(string? Role, string? Region, string? CreditCode, string? Name);

public sealed record DevelopmentTokenResponse(string access_token, string token_type, int expires_in);

/// <summary>POST /dev/token: Keycloak-shaped tokens for local work. Mapped only in Development, with the key `./dev up` made.</summary>
public static class DevelopmentTokenEndpoint
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static void MapDevelopmentTokens(this WebApplication app)
    {
        var tokens = app.Services.GetRequiredService<DevelopmentTokens>();
        if (!app.Environment.IsDevelopment() || tokens.Key is null) return;
        app.MapPost("/dev/token", async (HttpRequest request, IOptions<JsonOptions> json) =>
        {
            var (body, problem) = await JsonBody.ReadAsync<DevelopmentTokenBody>(request, json.Value.SerializerOptions);
            if (problem is not null) return problem;
            var fields = new List<ProblemField>();
            var role = body!.Role?.Trim().ToLowerInvariant() ?? "";
            var known = Enum.TryParse<Role>(role, ignoreCase: true, out var parsed) && !int.TryParse(role, out _);
            var enterprise = known && parsed == Role.Enterprise;
            if (!known) fields.Add(new ProblemField("role", "must be enterprise, city, province, ministry or service (a service account)"));
            if (!enterprise && (body.Region is not { Length: 6 } region || !region.All(char.IsAsciiDigit)))
                fields.Add(new ProblemField("region", "must be a 6-digit region code (420100 Wuhan, 420000 Hubei, 000000 the ministry)"));
            if (enterprise && string.IsNullOrWhiteSpace(body.CreditCode))
                fields.Add(new ProblemField("creditCode", "is required for the enterprise role"));
            if (fields.Count > 0) return Problems.BadRequest([.. fields]);
            var token = tokens.Issue(role, body.Region ?? "", enterprise ? body.CreditCode : null, body.Name, Lifetime);
            return Results.Ok(new DevelopmentTokenResponse(token, "Bearer", (int)Lifetime.TotalSeconds));
        }).WithTags("Development").Accepts<DevelopmentTokenBody>("application/json").Produces<DevelopmentTokenResponse>()
          .ProducesProblem(StatusCodes.Status400BadRequest);
    }
}
