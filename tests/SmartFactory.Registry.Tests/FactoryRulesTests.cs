using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.TestSupport;

namespace SmartFactory.Registry.Tests;

public class FactoryRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Enterprise Owner = Enterprise.Register(Scopes.Hubei, CreditCodes.New(),
        new EnterpriseDetails("宜昌绿色化工股份有限公司", "420100", "26", EnterpriseSize.Large, EnterpriseNature.StateOwned), Scopes.Reference, Guid.NewGuid(), Now);
    private static readonly FactoryDetails Valid = new("襄阳智能工厂", "襄阳市高新区1号", "420600", "26");

    [Fact]
    public void A_factory_may_sit_in_another_city_than_its_enterprise()
    {
        var factory = Factory.Register(Scopes.Hubei, Owner.Id.ToString(), Owner, Valid, Scopes.Reference, Guid.NewGuid(), Now);
        Assert.Equal((Owner.Id, Owner.Name, "420600", 1L), (factory.EnterpriseId, factory.EnterpriseName, factory.RegionCode, factory.Version));
    }

    [Fact]
    public void An_unknown_enterprise_is_a_wrong_field_like_the_others()
    {
        var id = Guid.NewGuid().ToString();
        var error = Assert.Throws<ValidationException>(() => Factory.Register(Scopes.Wuhan, id, null,
            new FactoryDetails("", new string('址', 501), "420600", ""), Scopes.Reference, Guid.NewGuid(), Now));
        Assert.Equal(["enterprise_id", "name", "address", "region_code", "industry_code"], error.Violations.Select(v => v.Field));
        Assert.Equal($"no enterprise '{id}' in your scope", error.Violations[0].Description);
        Assert.Equal("must be at most 500 characters (got 501)", error.Violations[2].Description);
    }

    [Fact]
    public void A_city_may_not_move_a_factory_out_of_its_jurisdiction()
    {
        var factory = Factory.Register(Scopes.Wuhan, Owner.Id.ToString(), Owner, Valid with { RegionCode = "420100" }, Scopes.Reference, Guid.NewGuid(), Now);
        var error = Assert.Throws<ValidationException>(() => factory.Update(Scopes.Wuhan, 1, Valid, Scopes.Reference, Now));
        Assert.Equal("region_code", Assert.Single(error.Violations).Field);
        Assert.Equal("420600", factory.Update(Scopes.Hubei, 1, Valid, Scopes.Reference, Now).RegionCode);
    }
}
