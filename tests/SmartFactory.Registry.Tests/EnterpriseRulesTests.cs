using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.TestSupport;

namespace SmartFactory.Registry.Tests;

public class EnterpriseRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 8, 0, 0, DateTimeKind.Utc);
    private static readonly EnterpriseDetails Valid = new("武汉智造汽车零部件有限公司", "420100", "36", EnterpriseSize.Large, EnterpriseNature.Private);

    [Fact]
    public void A_city_registers_an_enterprise_of_its_city_at_version_1()
    {
        var code = CreditCodes.New();
        var enterprise = Enterprise.Register(Scopes.Wuhan, code, Valid, Scopes.Reference, Guid.NewGuid(), Now);
        Assert.Equal((code, "420100", 1L, Now), (enterprise.CreditCode, enterprise.RegionCode, enterprise.Version, enterprise.CreatedAt));
    }

    [Fact]
    public void Every_wrong_field_is_named_at_once()
    {
        var error = Assert.Throws<ValidationException>(() => Enterprise.Register(Scopes.Wuhan, "91420100MA4KL3XK1A",
            new EnterpriseDetails("  ", "420600", "99", null, null), Scopes.Reference, Guid.NewGuid(), Now));
        Assert.Equal(["credit_code", "name", "region_code", "industry_code", "size", "nature"], error.Violations.Select(v => v.Field));
        Assert.Contains("outside your jurisdiction (420100)", error.Violations.Single(v => v.Field == "region_code").Description);
    }

    [Theory]
    [InlineData("420000", "is not a city-level region")]
    [InlineData("110100", "is not a city-level region")]
    [InlineData("4201", "is not a city-level region")]
    public void The_region_must_be_a_city_of_the_province(string region, string reason)
    {
        var error = Assert.Throws<ValidationException>(() =>
            Enterprise.Register(Scopes.Hubei, CreditCodes.New(), Valid with { RegionCode = region }, Scopes.Reference, Guid.NewGuid(), Now));
        Assert.Contains(reason, Assert.Single(error.Violations).Description);
    }

    [Fact]
    public void A_county_level_city_owns_only_its_own_code()
    {
        // 仙桃 (429004) and 潜江 (429005) share the prefix 4290 but not their jurisdiction.
        var error = Assert.Throws<ValidationException>(() =>
            Enterprise.Register(Scopes.Xiantao, CreditCodes.New(), Valid with { RegionCode = "429005" }, Scopes.Reference, Guid.NewGuid(), Now));
        Assert.Equal("region_code", Assert.Single(error.Violations).Field);
        Enterprise.Register(Scopes.Xiantao, CreditCodes.New(), Valid with { RegionCode = "429004" }, Scopes.Reference, Guid.NewGuid(), Now);
    }

    [Fact]
    public void An_enterprise_registers_only_itself_and_may_sit_anywhere_in_the_province()
    {
        var own = CreditCodes.New();
        var enterprise = Enterprise.Register(Scopes.Enterprise(own), own, Valid with { RegionCode = "420600" }, Scopes.Reference, Guid.NewGuid(), Now);
        Assert.Equal("420600", enterprise.RegionCode);
        Assert.Throws<ForbiddenException>(() =>
            Enterprise.Register(Scopes.Enterprise(own), CreditCodes.New(), Valid, Scopes.Reference, Guid.NewGuid(), Now));
    }

    [Fact]
    public void The_ministry_reads_but_does_not_register()
    {
        var error = Assert.Throws<ForbiddenException>(() =>
            Enterprise.Register(Scopes.Ministry, CreditCodes.New(), Valid, Scopes.Reference, Guid.NewGuid(), Now));
        Assert.Contains("the ministry reads the registry", error.Message);
    }

    [Fact]
    public void Update_needs_the_version_read_and_moves_it_on()
    {
        var enterprise = Enterprise.Register(Scopes.Wuhan, CreditCodes.New(), Valid, Scopes.Reference, Guid.NewGuid(), Now);
        var renamed = enterprise.Update(Scopes.Wuhan, 1, Valid with { Name = "武汉智造汽车科技有限公司" }, Scopes.Reference, Now.AddDays(1));
        Assert.Equal(("武汉智造汽车科技有限公司", 2L, Now.AddDays(1), Now), (renamed.Name, renamed.Version, renamed.UpdatedAt, renamed.CreatedAt));
        Assert.Equal(enterprise.CreditCode, renamed.CreditCode);

        Assert.Throws<ConcurrencyException>(() => renamed.Update(Scopes.Wuhan, 1, Valid, Scopes.Reference, Now));
        var missing = Assert.Throws<ValidationException>(() => renamed.Update(Scopes.Wuhan, 0, Valid with { Name = "" }, Scopes.Reference, Now));
        Assert.Equal(["expected_version", "name"], missing.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_city_that_sees_an_enterprise_through_its_factory_does_not_maintain_it()
    {
        var wuhanEnterprise = Enterprise.Register(Scopes.Hubei, CreditCodes.New(), Valid, Scopes.Reference, Guid.NewGuid(), Now);
        var xiangyang = Scopes.Wuhan with { Region = "420600" };
        var error = Assert.Throws<ForbiddenException>(() => wuhanEnterprise.Update(xiangyang, 1, Valid with { RegionCode = "420600" }, Scopes.Reference, Now));
        Assert.Equal("the enterprise is registered in 420100: its city or the province maintains it", error.Message);
        Assert.Equal("新名称", wuhanEnterprise.Update(Scopes.Wuhan, 1, Valid with { Name = "新名称" }, Scopes.Reference, Now).Name);
    }

    [Fact]
    public void Control_characters_are_a_wrong_field_not_a_database_error()
    {
        var error = Assert.Throws<ValidationException>(() => Enterprise.Register(Scopes.Wuhan, CreditCodes.New(),
            Valid with { Name = "武汉\0智造" }, Scopes.Reference, Guid.NewGuid(), Now));
        Assert.Equal(("name", "must not contain control characters"), (error.Violations[0].Field, error.Violations[0].Description));
    }
}
