using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>What a caller may set on a factory; the owning enterprise is fixed at registration.</summary>
public sealed record FactoryDetails(string? Name, string? Address, string? RegionCode, string? IndustryCode);

/// <summary>
/// A factory (工厂) of an enterprise: what is recognized at a level. It may sit in another city than its
/// enterprise; the factory's region decides which city handles it.
/// </summary>
public sealed record Factory(
    Guid Id, Guid EnterpriseId, string EnterpriseName, string Name, string Address, string RegionCode, string IndustryCode,
    long Version, DateTime CreatedAt, DateTime UpdatedAt)
{
    public const int MaxNameLength = 200;
    public const int MaxAddressLength = 500;

    /// <summary>
    /// Registers a factory of <paramref name="owner"/>, which the caller has already found in its scope (null when the
    /// id named no enterprise the caller can see: that is a wrong field like any other).
    /// </summary>
    public static Factory Register(CallerScope caller, string? enterpriseId, Enterprise? owner, FactoryDetails details,
        ReferenceData reference, Guid id, DateTime now)
    {
        Enterprise.EnsureMayWrite(caller);
        var violations = new Violations();
        if (string.IsNullOrWhiteSpace(enterpriseId)) violations.Add("enterprise_id", "is required");
        else if (owner is null) violations.Add("enterprise_id", $"no enterprise '{enterpriseId}' in your scope");
        var valid = Validate(caller, details, reference, violations);
        violations.ThrowIfAny();
        return new Factory(id, owner!.Id, owner.Name, valid.Name, valid.Address, valid.RegionCode, valid.IndustryCode, 1, now, now);
    }

    public Factory Update(CallerScope caller, long expectedVersion, FactoryDetails details, ReferenceData reference, DateTime now)
    {
        Enterprise.EnsureMayWrite(caller);
        var violations = new Violations();
        if (expectedVersion <= 0) violations.Add("expected_version", "is required: send the version you read");
        var valid = Validate(caller, details, reference, violations);
        violations.ThrowIfAny();
        if (expectedVersion != Version)
            throw new ConcurrencyException($"factory {Id} changed since version {expectedVersion} (now {Version}); read it again");
        return this with
        {
            Name = valid.Name, Address = valid.Address, RegionCode = valid.RegionCode, IndustryCode = valid.IndustryCode,
            Version = Version + 1, UpdatedAt = now,
        };
    }

    private static (string Name, string Address, string RegionCode, string IndustryCode) Validate(
        CallerScope caller, FactoryDetails details, ReferenceData reference, Violations violations) =>
        (violations.Required("name", details.Name, MaxNameLength),
         violations.Required("address", details.Address, MaxAddressLength),
         reference.CheckRegion(violations, "region_code", details.RegionCode, caller),
         reference.CheckIndustry(violations, "industry_code", details.IndustryCode));
}
