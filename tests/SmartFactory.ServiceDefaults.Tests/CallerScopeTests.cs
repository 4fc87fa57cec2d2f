using System.Security.Claims;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.ServiceDefaults.Tests;

public class CallerScopeTests
{
    private static ClaimsPrincipal User(string[] roles, string? region, string? creditCode = null)
    {
        var claims = roles.Select(r => new Claim(ClaimTypes.Role, r)).Append(new Claim("sub", "user-1"));
        if (region is not null) claims = claims.Append(new Claim("region", region));
        if (creditCode is not null) claims = claims.Append(new Claim("credit_code", creditCode));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer"));
    }

    [Theory]
    [InlineData("city", "420100", "4201")]
    [InlineData("city", "422800", "4228")]
    [InlineData("city", "429004", "429004")]   // 直管市: its exact code, not the 4290 it shares
    [InlineData("city", "429021", "429021")]   // 神农架林区
    [InlineData("province", "420000", "42")]
    [InlineData("ministry", "000000", "")]
    public void Region_prefix_follows_the_role(string role, string region, string prefix) =>
        Assert.Equal(prefix, CallerScope.FromPrincipal(User([role], region)).RegionPrefix);

    [Fact]
    public void A_city_covers_its_districts_and_nothing_else()
    {
        var wuhan = CallerScope.FromPrincipal(User(["city"], "420100"));
        Assert.True(wuhan.CoversRegion("420102"));
        Assert.False(wuhan.CoversRegion("420600"));
        var xiantao = CallerScope.FromPrincipal(User(["city"], "429004"));
        Assert.False(xiantao.CoversRegion("429005"));
    }

    [Fact]
    public void An_enterprise_is_scoped_by_credit_code_and_covers_no_region()
    {
        var scope = CallerScope.FromPrincipal(User(["enterprise"], null, "91420100MA4KL3XK1L"));
        Assert.Equal(("91420100MA4KL3XK1L", null), (scope.CreditCode, scope.RegionPrefix));
        Assert.False(scope.CoversRegion("420100"));
    }

    [Fact]
    public void A_service_token_needs_no_region_or_credit_code_and_reads_every_region()
    {
        // As Keycloak issues it for client credentials: no region, no credit code, no name; azp names the client.
        var token = new ClaimsIdentity([new Claim(ClaimTypes.Role, "service"), new Claim("sub", "sa-1"), new Claim("azp", "smartfactory-notices"),
            new Claim("preferred_username", "service-account-smartfactory-notices")], "Bearer");
        var scope = CallerScope.FromPrincipal(new ClaimsPrincipal(token));
        Assert.Equal((Role.Service, "", "", null, "smartfactory-notices"), (scope.Role, scope.RegionPrefix, scope.Region, scope.CreditCode, scope.Name));
        Assert.True(scope.CoversRegion("420100"));
        Assert.True(scope.CoversRegion("429004"));
    }

    [Fact]
    public void A_service_token_ignores_region_and_credit_code_claims()
    {
        var scope = CallerScope.FromPrincipal(User(["service"], "420100", "91420100MA4KL3XK1L"));
        Assert.Equal(("", "", null), (scope.RegionPrefix, scope.Region, scope.CreditCode));
    }

    [Fact]
    public void Service_with_a_user_role_is_more_than_one_platform_role()
    {
        var error = Assert.Throws<ForbiddenException>(() => CallerScope.FromPrincipal(User(["service", "city"], "420100")));
        Assert.Contains("more than one platform role", error.Message);
    }

    [Fact]
    public void Keycloak_default_roles_are_ignored()
    {
        var scope = CallerScope.FromPrincipal(User(["offline_access", "default-roles-smartfactory", "province"], "420000"));
        Assert.Equal(Role.Province, scope.Role);
    }

    [Theory]
    [InlineData(new string[0], "420100", null, "none of the roles")]
    [InlineData(new[] { "city", "province" }, "420000", null, "more than one platform role")]
    [InlineData(new[] { "city" }, "42010", null, "6-digit region code")]
    [InlineData(new[] { "city" }, "420000", null, "a city token's region must be a city code")]
    [InlineData(new[] { "province" }, "420100", null, "province code")]
    [InlineData(new[] { "ministry" }, "420000", null, "000000")]
    [InlineData(new[] { "enterprise" }, "420100", null, "credit_code")]
    public void Tokens_without_a_usable_scope_are_forbidden(string[] roles, string region, string? creditCode, string reason)
    {
        var error = Assert.Throws<ForbiddenException>(() => CallerScope.FromPrincipal(User(roles, region, creditCode)));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void No_token_is_unauthenticated() =>
        Assert.Throws<UnauthenticatedException>(() => CallerScope.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity())));

    [Fact]
    public void Keycloak_realm_roles_become_role_claims()
    {
        var identity = new ClaimsIdentity([new Claim("realm_access", """{"roles":["city","offline_access"]}""", "JSON")], "Bearer");
        Authentication.AddRealmRoles(identity);
        Assert.Equal(["city", "offline_access"], identity.FindAll(ClaimTypes.Role).Select(c => c.Value));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("city,province")]
    [InlineData("Ministry ")]
    public void Only_exact_role_names_count(string role)
    {
        var error = Assert.Throws<ForbiddenException>(() => CallerScope.FromPrincipal(User([role], "000000")));
        Assert.Contains("none of the roles", error.Message);
    }
}
