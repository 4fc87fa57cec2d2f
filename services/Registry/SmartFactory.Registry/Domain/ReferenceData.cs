using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>A GB/T 2260 division: the province has no parent, its cities (市州, 直管市, 林区) have the province.</summary>
public sealed record Region(string Code, string Name, string? ParentCode);

/// <summary>
/// A GB/T 4754-2017 division of an industrial enterprise (工业企业, 003 附1 一.1): section B mining (06-12), C manufacturing
/// (13-43) or D electricity, heat, gas and water (44-46).
/// </summary>
public sealed record Industry(string Code, string Name, string Section);

/// <summary>
/// The regions and industries a registry field may name. Kept as data (migration 0002) so that another province
/// is a data change: the regions table holds only this platform's province and its cities.
/// </summary>
public sealed class ReferenceData(IReadOnlyList<Region> regions, IReadOnlyList<Industry> industries)
{
    private readonly Dictionary<string, Region> regionsByCode = regions.ToDictionary(r => r.Code);
    private readonly HashSet<string> industryCodes = industries.Select(i => i.Code).ToHashSet();

    public IReadOnlyList<Region> Regions { get; } = regions;
    public IReadOnlyList<Industry> Industries { get; } = industries;

    /// <summary>
    /// A registry record sits in one of the province's cities, and a city or province user may place it only
    /// inside their own jurisdiction. An enterprise places its own records anywhere in the province.
    /// </summary>
    public string CheckRegion(Violations violations, string field, string? code, CallerScope caller)
    {
        var value = violations.Required(field, code, 6);
        if (value.Length == 0) return value;
        if (!IsCity(value))
            violations.Add(field, $"'{value}' is not a city-level region of this province (see the regions list)");
        else if (caller.Role != Role.Enterprise && !caller.CoversRegion(value))
            violations.Add(field, $"'{value}' is outside your jurisdiction ({caller.Region})");
        return value;
    }

    public bool IsCity(string code) => regionsByCode.TryGetValue(code, out var region) && region.ParentCode is not null;

    public bool IsProvince(string code) => regionsByCode.TryGetValue(code, out var region) && region.ParentCode is null;

    public string CheckIndustry(Violations violations, string field, string? code)
    {
        var value = violations.Required(field, code, 2);
        if (value.Length > 0 && !industryCodes.Contains(value))
            violations.Add(field, $"'{value}' is not an industrial division of GB/T 4754-2017 (B 06-12, C 13-43, D 44-46)");
        return value;
    }
}
