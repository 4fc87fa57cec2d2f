using System.Text.Json;
using System.Text.RegularExpressions;
using SmartFactory.Registry.Data;
using SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Tests;

/// <summary>
/// The reference data is transcribed from the notices in ../shared/seeds, which are not part of the repository: these
/// tests hold the data to itself (counts, ids, names, bases of the area mappings, the citations it keeps), and
/// <c>./dev check-sources DIR</c> (<see cref="SourceCheck"/>, tested on made-up texts in
/// <see cref="ReferenceCatalogsSourceCheckTests"/>) holds every count, name and stated mapping to the texts themselves.
/// </summary>
public class ReferenceCatalogsTests
{
    private static readonly ReferenceCatalogs Catalogs = ReferenceFiles.Read();

    // Which seed each edition was transcribed from (the notes in scenario-catalogs.json say why 002 and not 001 for 2022).
    private static readonly Dictionary<string, string> SeedOf = new()
    {
        ["2025"] = "004_",
        ["2024"] = "003_",
        ["2022"] = "002_",
    };

    [Theory]
    [InlineData("2025", 8, 40)]
    [InlineData("2024", 15, 40)]
    [InlineData("2022", 16, 45)]
    public void Each_edition_lists_the_stages_and_scenarios_its_catalog_states(string edition, int stages, int scenarios)
    {
        var catalog = Catalogs.Edition(edition)!;
        Assert.Equal(stages, catalog.Stages.Count);
        Assert.Equal(scenarios, catalog.Stages.Sum(s => s.Scenarios.Count));

        // statedCounts is what the catalog's introduction says (凝练…N个环节的M个…场景); the listing must agree with it.
        // `./dev check-sources` holds both against the seed itself.
        var stated = EditionJson(edition).GetProperty("statedCounts");
        Assert.Equal((stages, scenarios), (stated.GetProperty("stages").GetInt32(), stated.GetProperty("scenarios").GetInt32()));
    }

    [Fact]
    public void Only_the_2025_edition_is_in_force()
    {
        Assert.Equal(["2025", "2024", "2022"], Catalogs.Editions.Select(e => e.Edition));
        Assert.Equal("2025", Assert.Single(Catalogs.Editions, e => e.InForce).Edition);
        // 004 第十条 names the 2025 edition as the one that applies (`./dev check-sources` finds the sentence in 004).
        Assert.Equal("004_", SeedOf["2025"]);
    }

    [Fact]
    public void Each_edition_cites_its_seed()
    {
        foreach (var edition in Catalogs.Editions)
            Assert.Contains($"(seeds/{SeedOf[edition.Edition]}", edition.Source);
        Assert.Contains("智能制造典型场景参考指引（2025年版）", Catalogs.Edition("2025")!.Source);
        Assert.Contains("智能制造典型场景参考指引（2024年版）", Catalogs.Edition("2024")!.Source);
    }

    [Fact]
    public void The_source_check_reads_the_citations_of_the_data_files()
    {
        var sources = SourceCheck.ReadDataSources();
        Assert.Equal(Catalogs.Editions.Select(e => e.Edition), sources.Editions.Select(e => e.Edition));
        foreach (var source in sources.Editions)
        {
            var edition = Catalogs.Edition(source.Edition)!;
            Assert.StartsWith(SeedOf[source.Edition], source.Seed);
            Assert.EndsWith($"(seeds/{source.Seed})", edition.Source);
            Assert.StartsWith($"《{source.Title}》", edition.Source);
            Assert.Equal(edition.Stages.Select(s => s.Name).Order(), source.AreaBasisByStage.Keys.Order());
        }
        Assert.StartsWith("003_", sources.KpiSeed);
        Assert.Equal(("GB/T 39116-2020", "智能制造能力成熟度模型"), (sources.Standard, sources.StandardTitle));
        Assert.Equal(["000_", "002_", "003_"], sources.StandardCitedIn.Select(f => f[..4]));
    }

    [Fact]
    public void Ids_are_unique_and_follow_the_catalog_numbering()
    {
        foreach (var edition in Catalogs.Editions)
        {
            var ed = edition.Edition;
            Assert.Equal(
                Enumerable.Range(1, edition.Stages.Count).Select(i => $"{ed}-S{i:D2}"),
                edition.Stages.Select(s => s.Id));
            var scenarios = edition.Stages.SelectMany(s => s.Scenarios).ToList();
            Assert.Equal(Enumerable.Range(1, scenarios.Count).Select(i => $"{ed}-{i:D2}"), scenarios.Select(c => c.Id));
            Assert.All(edition.Stages, s => Assert.All(s.Scenarios, c => Assert.Equal(s.Id, c.StageId)));
        }
        var all = Catalogs.Editions.SelectMany(e => e.Stages.Select(s => s.Id).Concat(e.Stages.SelectMany(s => s.Scenarios).Select(c => c.Id))).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Theory]
    [InlineData("2025")]
    [InlineData("2024")]
    [InlineData("2022")]
    public void Stage_and_scenario_names_are_clean_and_unique(string edition)
    {
        // That they are the seed's text, under its numbered headings, is `./dev check-sources`' to check.
        var stages = Catalogs.Edition(edition)!.Stages;
        foreach (var stage in stages)
        {
            AssertClean(stage.Name);
            Assert.False(stage.Name.EndsWith("环节", StringComparison.Ordinal), stage.Name); // the 2025 headings' generic suffix is dropped
            foreach (var scenario in stage.Scenarios) AssertClean(scenario.Name);
        }
        Assert.Equal(stages.Count, stages.Select(s => s.Name).Distinct().Count());
        var scenarios = stages.SelectMany(s => s.Scenarios).Select(c => c.Name).ToList();
        Assert.Equal(scenarios.Count, scenarios.Distinct().Count());
    }

    [Fact]
    public void The_2025_stages_map_to_areas_as_the_notes_quote_the_domain_digest()
    {
        // The notes quote DOMAIN.md: "Map its stages to the five areas: 工厂建设 → 工厂建设; 产品研发 + 工艺设计 → 研发设计; … ."
        // `./dev check-sources` holds the same rule, read from DOMAIN.md itself, against the data.
        var notes = string.Join(" ", EditionJson("2025").GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        var rule = Regex.Match(notes, @"Area mapping as DOMAIN\.md states it: (?<rule>[^.]+)\.");
        Assert.True(rule.Success, "the 2025 notes quote the domain digest's area mapping");
        var expected = SourceCheck.ParseAreaRule(rule.Groups["rule"].Value);

        Assert.Equal(8, expected.Count);
        Assert.Equal(expected, Catalogs.Edition("2025")!.Stages.ToDictionary(s => s.Name, s => s.Area));
    }

    [Fact]
    public void Every_mapping_says_its_basis_and_a_judgement_says_why()
    {
        // 003 附1 注[1]-[5] state the areas of 14 of the 2024 stages; `./dev check-sources` holds those marked "seed" against them.
        using var file = JsonDocument.Parse(Resource("scenario-catalogs.json"));
        foreach (var edition in file.RootElement.GetProperty("editions").EnumerateArray())
        {
            var name = edition.GetProperty("edition").GetString()!;
            foreach (var stage in edition.GetProperty("stages").EnumerateArray())
            {
                var stageName = stage.GetProperty("name").GetString()!;
                var basis = stage.GetProperty("areaBasis").GetString();
                Assert.Contains(basis, new[] { "seed", "judgement" });
                if (basis == "judgement") Assert.False(string.IsNullOrWhiteSpace(stage.GetProperty("areaNote").GetString()), stageName);
            }
            var judged = edition.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("areaBasis").GetString() == "judgement").Select(s => s.GetProperty("name").GetString()).ToList();
            switch (name)
            {
                case "2025": Assert.Empty(judged); break;
                case "2024": Assert.Equal(["多环节模式创新"], judged); break;
                case "2022": Assert.Equal(16, judged.Count); break;
            }
        }
        Assert.Equal(14, SourceCheck.ReadDataSources().Editions.Single(e => e.Edition == "2024").AreaBasisByStage.Count(b => b.Value == "seed"));
    }

    [Fact]
    public void Every_edition_reaches_all_five_areas()
    {
        // Otherwise an excellent or leading factory could not meet the coverage rule under that edition.
        foreach (var edition in Catalogs.Editions)
            Assert.Equal(Enum.GetValues<ConstructionArea>().ToHashSet(), edition.Stages.Select(s => s.Area).ToHashSet());
    }

    [Fact]
    public void The_20_kpis_are_those_of_003_annex_2_with_their_units()
    {
        // That each is the annex's line "序号<TAB>名称 (单位)" is `./dev check-sources`' to check.
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"K{i:D2}"), Catalogs.Kpis.Select(k => k.Id));
        foreach (var kpi in Catalogs.Kpis)
        {
            AssertClean(kpi.Name);
            Assert.Contains(kpi.Unit, new[] { "%", "个", "家" });
        }
        Assert.Equal("关键设备数控化率", Catalogs.Kpis[0].Name);
        Assert.EndsWith("复制推广的企业数量", Catalogs.Kpis[^1].Name);
        Assert.Equal(Catalogs.Kpis.Count, Catalogs.Kpis.Select(k => k.Name).Distinct().Count());
    }

    [Fact]
    public void The_five_maturity_levels_are_those_of_GB_T_39116_2020()
    {
        Assert.Equal([1, 2, 3, 4, 5], Catalogs.MaturityLevels.Select(l => l.Level));
        Assert.Equal(["规划级", "规范级", "集成级", "优化级", "引领级"], Catalogs.MaturityLevels.Select(l => l.Name));
        // The seeds cite the standard by number; the names are the standard's, as the domain digest lists them
        // (`./dev check-sources` finds both).
        Assert.Equal("GB/T 39116-2020", SourceCheck.ReadDataSources().Standard);
    }

    [Fact]
    public void Scenarios_of_the_production_operations_stage_cover_only_that_area()
    {
        var ids = Enumerable.Range(20, 10).Select(n => $"2025-{n:D2}");
        var areas = Catalogs.AreasCovered("2025", ids, out var unknown);
        Assert.Equal([ConstructionArea.ProductionOperations], areas);
        Assert.Empty(unknown);
    }

    [Fact]
    public void Areas_covered_reports_unknown_ids_once_each_and_ignores_them()
    {
        // 2024-01 is a real id, but of another edition: a 2025 application may not cite it.
        var areas = Catalogs.AreasCovered("2025", ["2025-01", "2025-41", "2024-01", "2025-41", "2025-30", "2025-37"], out var unknown);
        Assert.Equal(new HashSet<ConstructionArea> { ConstructionArea.FactoryConstruction, ConstructionArea.OperationsManagement }, areas);
        Assert.Equal(["2025-41", "2024-01"], unknown);
    }

    [Fact]
    public void Areas_covered_under_an_unknown_edition_reports_every_id_unknown()
    {
        var areas = Catalogs.AreasCovered("2023", ["2025-01", "2022-01"], out var unknown);
        Assert.Empty(areas);
        Assert.Equal(["2025-01", "2022-01"], unknown);
        Assert.Null(Catalogs.Edition("2023"));
    }

    [Fact]
    public void Older_editions_resolve_their_own_ids()
    {
        // 2022 模式创新 and 2024 信息基础设施 are judgement and seed mappings respectively; see scenario-catalogs.json.
        Assert.Equal([ConstructionArea.OperationsManagement], Catalogs.AreasCovered("2022", ["2022-43"], out _));
        Assert.Equal([ConstructionArea.FactoryConstruction], Catalogs.AreasCovered("2024", ["2024-31"], out _));
    }

    private static void AssertClean(string name)
    {
        Assert.Equal(name.Trim(), name);
        Assert.DoesNotMatch(@"[。，、；：.,;:*]$", name);
    }

    private static string Resource(string file)
    {
        using var stream = typeof(ReferenceCatalogs).Assembly.GetManifestResourceStream($"reference/{file}")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonElement EditionJson(string edition)
    {
        using var file = JsonDocument.Parse(Resource("scenario-catalogs.json"));
        return file.RootElement.GetProperty("editions").EnumerateArray().Single(e => e.GetProperty("edition").GetString() == edition).Clone();
    }
}
