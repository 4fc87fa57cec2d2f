using System.Security.Claims;

namespace SmartFactory.Kernel;

/// <summary>
/// The platform's four realm roles (DOMAIN.md, "Actors and roles"), and <see cref="Service"/>: a platform service's own
/// account (Keycloak client credentials), for commands sent from a background relay where no user's token exists.
/// It reads everything but is no authority: every rule that asks for a role names the roles it accepts.
/// </summary>
public enum Role { Enterprise, City, Province, Ministry, Service }

/// <summary>
/// Who is calling and what they may see: an enterprise its own credit code, a city its city, the province the
/// province, the ministry everything. Services turn this into the WHERE clause, never into a filter afterwards.
/// </summary>
public sealed record CallerScope(string Subject, string Name, Role Role, string Region, string? CreditCode)
{
    public const string RoleClaim = ClaimTypes.Role;
    public const string RegionClaim = "region";
    public const string CreditCodeClaim = "credit_code";

    /// <summary>
    /// The prefix every region code in scope starts with. A prefecture-level city (code ending in 00) owns its
    /// first four digits; a county-level city directly under the province (直管市, e.g. 429004 仙桃市) and
    /// 神农架林区 share the prefix 4290, so they own their exact code. The enterprise role is scoped by
    /// credit code instead, so it owns no region. A service account is a trusted backend and reads all regions.
    /// </summary>
    public string? RegionPrefix => Role switch
    {
        Role.Ministry or Role.Service => "",
        Role.Province => Region[..2],
        Role.City => Region.EndsWith("00", StringComparison.Ordinal) ? Region[..4] : Region,
        _ => null,
    };

    public bool CoversRegion(string regionCode) =>
        RegionPrefix is { } prefix && regionCode.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>Reads the scope from validated claims; a token without a usable role or scope claim is refused.</summary>
    public static CallerScope FromPrincipal(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            throw new UnauthenticatedException("a valid bearer token is required");

        // Exact realm role names only: Enum.TryParse would also take "3" or "city,province".
        var roles = user.FindAll(RoleClaim)
            .Select(c => Enum.GetValues<Role>().Cast<Role?>().FirstOrDefault(r => r.ToString()!.Equals(c.Value, StringComparison.OrdinalIgnoreCase)))
            .OfType<Role>().Distinct().ToList();
        if (roles.Count != 1)
            throw new ForbiddenException(roles.Count == 0
                ? "the token carries none of the roles enterprise, city, province, ministry"
                : "the token carries more than one platform role");

        var role = roles[0];
        var region = user.FindFirst(RegionClaim)?.Value ?? "";
        var creditCode = user.FindFirst(CreditCodeClaim)?.Value;
        var scopeError = role switch
        {
            Role.Enterprise when string.IsNullOrEmpty(creditCode) => "an enterprise token must carry a credit_code claim",
            Role.Enterprise => null,
            // A service account's token has no user behind it, so no region or credit code to carry.
            Role.Service => null,
            _ when !IsRegionCode(region) => "the token's region claim must be a 6-digit region code",
            Role.Ministry when region != "000000" => "a ministry token's region must be 000000",
            Role.Province when !region.EndsWith("0000", StringComparison.Ordinal) || region == "000000" =>
                "a province token's region must be a province code (NN0000)",
            Role.City when region.EndsWith("0000", StringComparison.Ordinal) => "a city token's region must be a city code",
            _ => null,
        };
        if (scopeError is not null) throw new ForbiddenException(scopeError);

        var subject = user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";
        var name = user.FindFirst("name")?.Value ?? user.FindFirst("preferred_username")?.Value ?? subject;
        // Keycloak's service-account tokens carry no name; azp names the client the service signed in as.
        if (role == Role.Service) name = user.FindFirst("name")?.Value ?? user.FindFirst("azp")?.Value ?? name;
        return new CallerScope(subject, name, role, role == Role.Service ? "" : region, role == Role.Enterprise ? creditCode : null);
    }

    private static bool IsRegionCode(string code) => code.Length == 6 && code.All(char.IsAsciiDigit);
}
