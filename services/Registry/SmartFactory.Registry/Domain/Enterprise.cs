using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>Enterprise size by the 2017 statistical rule (大型/中型/小型/微型).</summary>
public enum EnterpriseSize { Large, Medium, Small, Micro }

/// <summary>Ownership nature (企业性质).</summary>
public enum EnterpriseNature { StateOwned, Private, Foreign, HongKongMacaoTaiwan, Collective, Other }

/// <summary>What a caller may set on an enterprise; the credit code is fixed at registration.</summary>
public sealed record EnterpriseDetails(string? Name, string? RegionCode, string? IndustryCode, EnterpriseSize? Size, EnterpriseNature? Nature);

/// <summary>An enterprise (企业), identified by its unified social credit code.</summary>
public sealed record Enterprise(
    Guid Id, string CreditCode, string Name, string RegionCode, string IndustryCode,
    EnterpriseSize Size, EnterpriseNature Nature, long Version, DateTime CreatedAt, DateTime UpdatedAt)
{
    public const int MaxNameLength = 200;

    /// <summary>
    /// Registers an enterprise: a city or the province inside its jurisdiction, an enterprise only itself; the
    /// ministry reads the registry but does not write it. Every wrong field is reported at once.
    /// </summary>
    public static Enterprise Register(CallerScope caller, string? creditCode, EnterpriseDetails details, ReferenceData reference, Guid id, DateTime now)
    {
        EnsureMayWrite(caller);
        var violations = new Violations();
        var code = violations.Required("credit_code", creditCode?.ToUpperInvariant(), 18);
        if (code.Length > 0 && Domain.CreditCode.Check(code) is { } problem) violations.Add("credit_code", problem);
        else if (caller.Role == Role.Enterprise && code.Length > 0 && code != caller.CreditCode)
            throw new ForbiddenException($"an enterprise may register only itself (credit code {caller.CreditCode})");
        var valid = Validate(caller, details, reference, violations);
        violations.ThrowIfAny();
        return new Enterprise(id, code, valid.Name, valid.RegionCode, valid.IndustryCode, valid.Size, valid.Nature, 1, now, now);
    }

    public Enterprise Update(CallerScope caller, long expectedVersion, EnterpriseDetails details, ReferenceData reference, DateTime now)
    {
        EnsureMayWrite(caller);
        // Another city sees the enterprise through its factory there, but only the enterprise's own city (or the
        // province) maintains the enterprise itself.
        if (caller.Role != Role.Enterprise && !caller.CoversRegion(RegionCode))
            throw new ForbiddenException($"the enterprise is registered in {RegionCode}: its city or the province maintains it");
        var violations = new Violations();
        if (expectedVersion <= 0) violations.Add("expected_version", "is required: send the version you read");
        var valid = Validate(caller, details, reference, violations);
        violations.ThrowIfAny();
        if (expectedVersion != Version)
            throw new ConcurrencyException($"enterprise {Id} changed since version {expectedVersion} (now {Version}); read it again");
        return this with
        {
            Name = valid.Name, RegionCode = valid.RegionCode, IndustryCode = valid.IndustryCode,
            Size = valid.Size, Nature = valid.Nature, Version = Version + 1, UpdatedAt = now,
        };
    }

    internal static void EnsureMayWrite(CallerScope caller)
    {
        if (caller.Role == Role.Ministry)
            throw new ForbiddenException("the ministry reads the registry; enterprises and cities maintain it");
        // A service account reads every region, so letting it write would make it an authority everywhere.
        if (caller.Role == Role.Service)
            throw new ForbiddenException("a service account reads the registry; enterprises and cities maintain it");
    }

    private static (string Name, string RegionCode, string IndustryCode, EnterpriseSize Size, EnterpriseNature Nature) Validate(
        CallerScope caller, EnterpriseDetails details, ReferenceData reference, Violations violations)
    {
        var name = violations.Required("name", details.Name, MaxNameLength);
        var region = reference.CheckRegion(violations, "region_code", details.RegionCode, caller);
        var industry = reference.CheckIndustry(violations, "industry_code", details.IndustryCode);
        if (details.Size is null) violations.Add("size", "is required: large, medium, small or micro");
        if (details.Nature is null) violations.Add("nature", "is required");
        return (name, region, industry, details.Size.GetValueOrDefault(), details.Nature.GetValueOrDefault());
    }
}
