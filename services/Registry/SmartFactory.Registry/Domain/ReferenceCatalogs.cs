
namespace SmartFactory.Registry.Domain;

/// <summary>
/// The five construction areas (建设内容) the coverage rules count (003 附1): basic needs 生产作业, advanced also
/// 生产管理 and 运营管理, excellent and leading all five. Catalog stages map onto these, edition by edition.
/// </summary>
public enum ConstructionArea { FactoryConstruction, RndDesign, ProductionOperations, ProductionManagement, OperationsManagement }

/// <summary>A typical scenario (典型场景); the id is edition-qualified ("2025-24") so a citation never changes meaning.</summary>
public sealed record Scenario(string Id, string Name, string StageId);

/// <summary>A stage (环节) of a catalog edition, and the construction area it counts towards.</summary>
public sealed record Stage(string Id, string Name, ConstructionArea Area, IReadOnlyList<Scenario> Scenarios);

/// <summary>One edition of 智能制造典型场景参考指引. Older editions stay because older applications cite them.</summary>
public sealed record CatalogEdition(string Edition, bool InForce, string Source, IReadOnlyList<Stage> Stages);

/// <summary>
/// A key performance indicator of 003 附2; Unit is "%" or a count unit (个, 家). Min and Max bound a value: growth rates
/// and cost changes may be negative, rates and counts may not.
/// </summary>
public sealed record Kpi(string Id, string Name, string Unit, double Min, double Max)
{
    /// <summary>The name as a reader sees it: the seed's extraction spacing around a chemical formula removed, "（CO₂）".</summary>
    public string Label => Name.Replace(" (CO ₂) ", "（CO₂）");
}

/// <summary>A GB/T 39116-2020 maturity level (1 规划级 … 5 引领级).</summary>
public sealed record MaturityLevel(int Level, string Name);

/// <summary>
/// Scenario catalogs, KPIs and maturity levels, as Data/ReferenceFiles reads them from the JSON files under
/// Data/Reference embedded in this assembly. They are versioned data with their sources (see the notes in each file), not code, so that a new
/// catalog edition is a data change reviewed against its notice.
/// </summary>
public sealed class ReferenceCatalogs
{
    private readonly Dictionary<string, CatalogEdition> editionsByName;
    private readonly Dictionary<string, Dictionary<string, ConstructionArea>> areaByScenario;

    public ReferenceCatalogs(IReadOnlyList<CatalogEdition> editions, IReadOnlyList<Kpi> kpis, IReadOnlyList<MaturityLevel> levels)
    {
        Editions = editions;
        Kpis = kpis;
        MaturityLevels = levels;
        editionsByName = editions.ToDictionary(e => e.Edition, StringComparer.Ordinal);
        areaByScenario = editions.ToDictionary(
            e => e.Edition,
            e => e.Stages.SelectMany(s => s.Scenarios.Select(c => (c.Id, s.Area))).ToDictionary(p => p.Id, p => p.Area, StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>Newest edition first, as in the data file.</summary>
    public IReadOnlyList<CatalogEdition> Editions { get; }

    public IReadOnlyList<Kpi> Kpis { get; }

    public IReadOnlyList<MaturityLevel> MaturityLevels { get; }

    public CatalogEdition? Edition(string edition) => editionsByName.GetValueOrDefault(edition);

    /// <summary>
    /// The construction areas that the given scenarios of one edition cover. Ids the edition does not list are returned
    /// in <paramref name="unknownIds"/> (each once, in input order) rather than thrown, so a form can report them all;
    /// an unknown edition makes every id unknown.
    /// </summary>
    public IReadOnlySet<ConstructionArea> AreasCovered(string edition, IEnumerable<string> scenarioIds, out IReadOnlyList<string> unknownIds)
    {
        ArgumentNullException.ThrowIfNull(scenarioIds);
        var areas = new HashSet<ConstructionArea>();
        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        areaByScenario.TryGetValue(edition, out var byId);
        foreach (var id in scenarioIds)
        {
            if (byId is not null && byId.TryGetValue(id, out var area)) areas.Add(area);
            else if (seen.Add(id)) unknown.Add(id);
        }
        unknownIds = unknown;
        return areas;
    }

}
