using System.Text.Json;

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

/// <summary>A key performance indicator of 003 附2; Unit is "%" or a count unit (个, 家).</summary>
public sealed record Kpi(string Id, string Name, string Unit);

/// <summary>A GB/T 39116-2020 maturity level (1 规划级 … 5 引领级).</summary>
public sealed record MaturityLevel(int Level, string Name);

/// <summary>
/// Scenario catalogs, KPIs and maturity levels, read from the JSON files under Data/Reference embedded in this
/// assembly. They are versioned data with their sources (see the notes in each file), not code, so that a new
/// catalog edition is a data change reviewed against its notice.
/// </summary>
public sealed class ReferenceCatalogs
{
    // The data is immutable and part of the assembly: read and check it once per process.
    private static readonly Lazy<ReferenceCatalogs> Instance = new(Read);

    // Spelled out rather than derived from the enum names so that renaming a member cannot silently change the data format.
    private static readonly Dictionary<string, ConstructionArea> AreaCodes = new(StringComparer.Ordinal)
    {
        ["factory_construction"] = ConstructionArea.FactoryConstruction,
        ["rnd_design"] = ConstructionArea.RndDesign,
        ["production_operations"] = ConstructionArea.ProductionOperations,
        ["production_management"] = ConstructionArea.ProductionManagement,
        ["operations_management"] = ConstructionArea.OperationsManagement,
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, CatalogEdition> editionsByName;
    private readonly Dictionary<string, Dictionary<string, ConstructionArea>> areaByScenario;

    private ReferenceCatalogs(IReadOnlyList<CatalogEdition> editions, IReadOnlyList<Kpi> kpis, IReadOnlyList<MaturityLevel> levels)
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

    public static ReferenceCatalogs Load() => Instance.Value;

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

    private static ReferenceCatalogs Read()
    {
        var catalogs = Deserialize<CatalogsFile>("scenario-catalogs.json");
        var kpis = Deserialize<KpisFile>("kpis.json");
        var levels = Deserialize<LevelsFile>("maturity-levels.json");

        var editions = (catalogs.Editions ?? throw Invalid("scenario-catalogs.json", "has no editions")).Select(ToEdition).ToList();
        if (editions.Count(e => e.InForce) != 1)
            throw Invalid("scenario-catalogs.json", "must have exactly one edition in force");
        var duplicate = editions.SelectMany(e => e.Stages.Select(s => s.Id).Concat(e.Stages.SelectMany(s => s.Scenarios).Select(c => c.Id)).Append(e.Edition))
            .GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw Invalid("scenario-catalogs.json", $"repeats the id '{duplicate.Key}'");

        return new ReferenceCatalogs(
            editions,
            (kpis.Kpis ?? throw Invalid("kpis.json", "has no kpis")).Select(k => new Kpi(Required(k.Id), Required(k.Name), Required(k.Unit))).ToList(),
            (levels.Levels ?? throw Invalid("maturity-levels.json", "has no levels")).Select(l => new MaturityLevel(l.Level, Required(l.Name))).ToList());
    }

    private static CatalogEdition ToEdition(EditionDto e)
    {
        var edition = Required(e.Edition);
        var source = e.Source ?? throw Invalid("scenario-catalogs.json", $"edition {edition} has no source");
        var stages = (e.Stages ?? []).Select(s =>
        {
            var stageId = Required(s.Id);
            if (!AreaCodes.TryGetValue(s.Area ?? "", out var area))
                throw Invalid("scenario-catalogs.json", $"stage {stageId} has an unknown area '{s.Area}'");
            var scenarios = (s.Scenarios ?? []).Select(c => new Scenario(Required(c.Id), Required(c.Name), stageId)).ToList();
            return new Stage(stageId, Required(s.Name), area, scenarios);
        }).ToList();
        // One string for display and audit: which document, where it was published, and which seed text it was transcribed from.
        var citation = $"《{Required(source.Title)}》, {Required(source.PublishedIn)} (seeds/{Required(source.Seed)})";
        return new CatalogEdition(edition, e.InForce, citation, stages);
    }

    private static T Deserialize<T>(string file)
    {
        var assembly = typeof(ReferenceCatalogs).Assembly;
        using var stream = assembly.GetManifestResourceStream($"reference/{file}")
            ?? throw Invalid(file, "is not embedded in the assembly (see the EmbeddedResource item in SmartFactory.Registry.csproj)");
        return JsonSerializer.Deserialize<T>(stream, Json) ?? throw Invalid(file, "is empty");
    }

    private static string Required(string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidDataException("A reference data entry has an empty id, name or unit") : value;

    private static InvalidDataException Invalid(string file, string problem) => new($"Reference data {file} {problem}");

    // Shapes of the files; fields the code does not use (notes, areaBasis, areaNote, statedCounts, category) stay in the files for reviewers and tests.
    private sealed record CatalogsFile(List<EditionDto>? Editions);
    private sealed record EditionDto(string? Edition, bool InForce, SourceDto? Source, List<StageDto>? Stages);
    private sealed record SourceDto(string? Seed, string? Title, string? PublishedIn);
    private sealed record StageDto(string? Id, string? Name, string? Area, List<ScenarioDto>? Scenarios);
    private sealed record ScenarioDto(string? Id, string? Name);
    private sealed record KpisFile(List<KpiDto>? Kpis);
    private sealed record KpiDto(string? Id, string? Name, string? Unit);
    private sealed record LevelsFile(List<LevelDto>? Levels);
    private sealed record LevelDto(int Level, string? Name);
}
