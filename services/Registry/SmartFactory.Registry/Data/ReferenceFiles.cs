using System.Text.Json;
using SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Data;

/// <summary>The reference data files embedded in this assembly (Data/Reference/*.json), read into <see cref="ReferenceCatalogs"/>.</summary>
public static class ReferenceFiles
{
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

    /// <summary>Reads and checks the embedded files; the host registers the result once, as a singleton.</summary>
    public static ReferenceCatalogs Read()
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
            (kpis.Kpis ?? throw Invalid("kpis.json", "has no kpis")).Select(k => new Kpi(Required(k.Id), Required(k.Name), Required(k.Unit),
                k.Min ?? throw Invalid("kpis.json", $"{k.Id} has no min"), k.Max ?? throw Invalid("kpis.json", $"{k.Id} has no max"))).ToList(),
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
        var assembly = typeof(ReferenceFiles).Assembly;
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
    private sealed record KpiDto(string? Id, string? Name, string? Unit, double? Min, double? Max);
    private sealed record LevelsFile(List<LevelDto>? Levels);
    private sealed record LevelDto(int Level, string? Name);
}
