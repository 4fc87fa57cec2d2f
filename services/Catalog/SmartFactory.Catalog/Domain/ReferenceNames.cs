namespace SmartFactory.Catalog.Domain;

/// <summary>
/// The names of regions (GB/T 2260) and industries (GB/T 4754) the registry's reference data holds: the feed carries
/// codes, the catalog shows names. MIIT, which recognizes excellent and leading, is the national code 000000.
/// </summary>
public sealed record ReferenceNames(IReadOnlyDictionary<string, (string Name, string? Parent)> Regions, IReadOnlyDictionary<string, string> Industries)
{
    public const string National = "000000";
    public const string NationalName = "工业和信息化部";

    public static readonly ReferenceNames Empty = new(new Dictionary<string, (string, string?)>(), new Dictionary<string, string>());

    public string Region(string code) => code == National ? NationalName : Regions.TryGetValue(code, out var r) ? r.Name : code;

    public string Industry(string code) => Industries.TryGetValue(code, out var name) ? name : code;

    /// <summary>
    /// The city (市州) a region belongs to: itself for a city or a directly administered city (仙桃 429004), its
    /// parent for a county; the prefix rule (first 4 digits) where the reference data does not know the code.
    /// </summary>
    public string CityOf(string code)
    {
        if (Regions.TryGetValue(code, out var region))
            return region.Parent is { } parent && !parent.EndsWith("0000", StringComparison.Ordinal) ? parent : code;
        return code.Length == 6 && !code.StartsWith("90", StringComparison.Ordinal) && code[2..4] != "90" ? code[..4] + "00" : code;
    }
}
