using System.Text.Json;
using System.Text.RegularExpressions;
using SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Tests;

/// <summary>
/// The reference data is transcribed from the notices in ../shared/seeds; these tests hold every count, name and
/// stated mapping to those texts, so a typo in the data (or a changed seed) fails here rather than in an application.
/// </summary>
public class ReferenceCatalogsTests
{
    private static readonly ReferenceCatalogs Catalogs = ReferenceCatalogs.Load();

    // Which seed each edition was transcribed from (the notes in scenario-catalogs.json say why 002 and not 001 for 2022).
    private static readonly Dictionary<string, string> SeedOf = new()
    {
        ["2025"] = "004_",
        ["2024"] = "003_",
        ["2022"] = "002_",
    };

    private static readonly Dictionary<string, ConstructionArea> AreaByChineseName = new()
    {
        ["工厂建设"] = ConstructionArea.FactoryConstruction,
        ["研发设计"] = ConstructionArea.RndDesign,
        ["生产作业"] = ConstructionArea.ProductionOperations,
        ["生产管理"] = ConstructionArea.ProductionManagement,
        ["运营管理"] = ConstructionArea.OperationsManagement,
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

        // The catalog's introduction states its size (凝练…N个环节的M个…场景); the listing must agree with it.
        var stated = StatedCounts(Normalize(Seed(edition)));
        Assert.Equal((stages, scenarios), (stated.Stages, stated.Scenarios));
    }

    [Fact]
    public void Only_the_2025_edition_is_in_force()
    {
        Assert.Equal(["2025", "2024", "2022"], Catalogs.Editions.Select(e => e.Edition));
        Assert.Equal("2025", Assert.Single(Catalogs.Editions, e => e.InForce).Edition);
        // 004 第十条 names the 2025 edition as the one that applies.
        Assert.Contains("智能工厂梯度培育以《智能制造典型场景参考指引（2025 年版）》为准", Seed("2025"));
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
    public void Stage_and_scenario_names_are_the_seed_text(string edition)
    {
        var raw = Seed(edition);
        var text = Normalize(raw);
        // Look only inside the catalog, which starts with the sentence that states its size.
        var catalog = text[StatedCounts(text).Index..];
        var stages = Catalogs.Edition(edition)!.Stages;
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            AssertClean(stage.Name);
            Assert.Contains(stage.Name, raw);
            // The heading is 一、… 十六、 in catalog order (2025 adds the word 环节 after the name).
            Assert.Contains($"{ChineseNumeral(i + 1)}、{stage.Name}", catalog);
            foreach (var scenario in stage.Scenarios)
            {
                AssertClean(scenario.Name);
                Assert.Contains(scenario.Name, raw);
                var number = int.Parse(scenario.Id[(edition.Length + 1)..]);
                Assert.Matches($@"(?<!\d){number}\.{Regex.Escape(scenario.Name)}", catalog);
            }
        }
    }

    [Fact]
    public void The_2025_stages_map_to_areas_as_the_domain_digest_says()
    {
        // DOMAIN.md: "Map its stages to the five areas: 工厂建设 → 工厂建设; 产品研发 + 工艺设计 → 研发设计; … ."
        var domain = Regex.Replace(File.ReadAllText(Path.Combine(SharedDirectory(), "DOMAIN.md")), @"\s+", " ");
        var rule = Regex.Match(domain, @"Map its stages to the five areas: (?<rule>[^.]+)\.").Groups["rule"].Value;
        var expected = rule.Split(';', StringSplitOptions.TrimEntries)
            .Select(part => part.Split('→', StringSplitOptions.TrimEntries))
            .SelectMany(p => p[0].Split('+', StringSplitOptions.TrimEntries).Select(stage => (stage, area: AreaByChineseName[p[1]])))
            .ToDictionary(p => p.stage, p => p.area);

        Assert.Equal(8, expected.Count);
        Assert.Equal(expected, Catalogs.Edition("2025")!.Stages.ToDictionary(s => s.Name, s => s.Area));
    }

    [Fact]
    public void Mappings_marked_seed_for_2024_are_the_ones_003_states_and_the_rest_say_why()
    {
        // 003 附1 注[1]-[5]: "工厂建设涵盖《智能制造典型场景参考指引（2024年版）》中的工厂建设、信息基础设施两个环节。"
        var stated = Regex.Matches(Seed("2024"), @"\[\d\](?<area>\S+?)涵盖《智能制造典型场景参考指引（2024年版）》中的(?<stages>[^两三四五]+)[两三四五]个环节")
            .SelectMany(m => m.Groups["stages"].Value.Split('、').Select(stage => (stage, area: AreaByChineseName[m.Groups["area"].Value])))
            .ToDictionary(p => p.stage, p => p.area);
        Assert.Equal(14, stated.Count);

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
                if (name == "2024" && basis == "seed")
                    Assert.Equal(stated[stageName], Catalogs.Edition("2024")!.Stages.Single(s => s.Name == stageName).Area);
            }
            var judged = edition.GetProperty("stages").EnumerateArray().Where(s => s.GetProperty("areaBasis").GetString() == "judgement").Select(s => s.GetProperty("name").GetString()).ToList();
            switch (name)
            {
                case "2025": Assert.Empty(judged); break;
                case "2024": Assert.Equal(["多环节模式创新"], judged); break;
                case "2022": Assert.Equal(16, judged.Count); break;
            }
        }
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
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"K{i:D2}"), Catalogs.Kpis.Select(k => k.Id));
        var lines = Seed("2024").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var kpi in Catalogs.Kpis)
        {
            AssertClean(kpi.Name);
            Assert.Contains(kpi.Unit, new[] { "%", "个", "家" });
            // 附2 lists "序号<TAB>名称 (单位)".
            Assert.Contains($"{int.Parse(kpi.Id[1..])}\t{kpi.Name} ({kpi.Unit})", lines);
        }
        Assert.Equal("关键设备数控化率", Catalogs.Kpis[0].Name);
        Assert.EndsWith("复制推广的企业数量", Catalogs.Kpis[^1].Name);
    }

    [Fact]
    public void The_five_maturity_levels_are_those_of_GB_T_39116_2020()
    {
        Assert.Equal([1, 2, 3, 4, 5], Catalogs.MaturityLevels.Select(l => l.Level));
        Assert.Equal(["规划级", "规范级", "集成级", "优化级", "引领级"], Catalogs.MaturityLevels.Select(l => l.Name));
        // The seeds cite the standard by number; the names are the standard's, as the domain digest lists them.
        Assert.Contains("GB/T 39116-2020《智能制造能力成熟度模型》", Seed("2024"));
        var domain = File.ReadAllText(Path.Combine(SharedDirectory(), "DOMAIN.md"));
        Assert.Contains("Maturity levels GB/T 39116-2020: " + string.Join(", ", Catalogs.MaturityLevels.Select(l => $"{l.Level} {l.Name}")), domain);
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

    [Fact]
    public void Load_reads_once() => Assert.Same(ReferenceCatalogs.Load(), ReferenceCatalogs.Load());

    private static void AssertClean(string name)
    {
        Assert.Equal(name.Trim(), name);
        Assert.DoesNotMatch(@"[。，、；：.,;:*]$", name);
    }

    private static (int Index, int Stages, int Scenarios) StatedCounts(string normalized)
    {
        var m = Regex.Match(normalized, @"凝练(?:总结了|出)(\d+)个环节的?(\d+)个智能制造典型场景");
        Assert.True(m.Success, "the catalog's introduction states its size");
        return (m.Index, int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
    }

    // The seeds are extracted from PDF and Word: spacing and Markdown emphasis vary, the words do not.
    private static string Normalize(string text) => Regex.Replace(text, @"[\s*#]", "");

    private static string ChineseNumeral(int n)
    {
        const string digits = "一二三四五六七八九";
        return n switch
        {
            < 10 => digits[n - 1].ToString(),
            10 => "十",
            < 20 => "十" + digits[n - 11],
            _ => throw new ArgumentOutOfRangeException(nameof(n)),
        };
    }

    private static string Resource(string file)
    {
        using var stream = typeof(ReferenceCatalogs).Assembly.GetManifestResourceStream($"reference/{file}")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Seed(string edition)
    {
        var seeds = Path.Combine(SharedDirectory(), "seeds");
        return File.ReadAllText(Assert.Single(Directory.GetFiles(seeds, SeedOf[edition] + "*")));
    }

    private static string SharedDirectory()
    {
        // The repository root holds SmartFactory.Platform.sln; the seeds sit beside the repository in ../shared.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SmartFactory.Platform.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        throw new DirectoryNotFoundException("SmartFactory.Platform.sln not found above " + AppContext.BaseDirectory);
    }
}
