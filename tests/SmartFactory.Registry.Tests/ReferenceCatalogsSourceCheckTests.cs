using SmartFactory.Registry.Domain;

namespace SmartFactory.Registry.Tests;

/// <summary>
/// The comparisons of <c>./dev check-sources</c> (<see cref="SourceCheck"/>) on small made-up texts shaped like the
/// seeds and DOMAIN.md: each finds what agrees, and names what does not. The real documents are not in the repository.
/// </summary>
public class ReferenceCatalogsSourceCheckTests
{
    private const string Title = "示例场景指引（2099年版）";

    // Two stages, three scenarios, numbered as a seed numbers them, with the spacing and Markdown a PDF extraction leaves.
    private static readonly CatalogEdition Edition = new("2099", true, $"《{Title}》, 示例 (seeds/900_x.txt)",
    [
        new Stage("2099-S01", "工厂建设", ConstructionArea.FactoryConstruction,
            [new Scenario("2099-01", "工厂规划", "2099-S01"), new Scenario("2099-02", "数字基建", "2099-S01")]),
        new Stage("2099-S02", "生产作业", ConstructionArea.ProductionOperations, [new Scenario("2099-03", "质量检测", "2099-S02")]),
    ]);

    private const string Seed = """
        前言提到工厂建设和质量检测，在目录之前。
        根据多年实践，凝练出 2 个环节的 3 个智能制造典型场景，作为参考指引。

        ### 一、工厂建设环节

        #### 1.工厂规划

        面向……

        ### **2.数字基建**

        ### 二、生产作业环节

        3. 质量检测

        十、智能工厂梯度培育以《示例场景指引（2099 年版）》为准。
        注：[1]工厂建设涵盖《示例场景指引（2099年版）》中的工厂建设、信息基础设施两个环节。
        """;

    private static SourceCheck.EditionSource Source(params (string Stage, string Basis)[] basis) =>
        new("2099", "900_x.txt", Title, basis.ToDictionary(b => b.Stage, b => b.Basis));

    [Fact]
    public void The_stated_size_agrees_with_the_listing_whatever_the_spacing()
    {
        Assert.Empty(SourceCheck.StatedSize(Edition, Seed));
        Assert.Empty(SourceCheck.StatedSize(Edition, "凝练总结了\n2 个环节 3 个智能制造典型场景"));
        var wrong = Assert.Single(SourceCheck.StatedSize(Edition, "凝练出2个环节的4个智能制造典型场景"));
        Assert.Contains("states 2 stages and 4 scenarios; the data lists 2 and 3", wrong);
        Assert.Contains("no sentence", Assert.Single(SourceCheck.StatedSize(Edition, "没有目录")));
    }

    [Fact]
    public void Names_and_numbers_are_found_inside_the_catalog_only()
    {
        Assert.Empty(SourceCheck.NamesAndNumbers(Edition, Seed));

        // A name the seed lacks, a number the catalog does not give, and a heading out of order.
        var renamed = SourceCheck.NamesAndNumbers(Edition, Seed.Replace("数字基建", "数字底座"));
        Assert.Equal(["scenario 2099-02 '数字基建' is not in the seed"], renamed);
        var renumbered = SourceCheck.NamesAndNumbers(Edition, Seed.Replace("3. 质量检测", "13. 质量检测"));
        Assert.Equal(["scenario 2099-03 '质量检测' is not numbered 3. in the catalog"], renumbered);
        var reordered = SourceCheck.NamesAndNumbers(Edition, Seed.Replace("一、工厂建设", "甲").Replace("二、生产作业", "一、生产作业").Replace("甲", "二、工厂建设"));
        Assert.Equal(["stage 2099-S01 '工厂建设' is not the catalog's heading 一、", "stage 2099-S02 '生产作业' is not the catalog's heading 二、"], reordered);
        // The preface names 质量检测 too, but only the catalog after the size sentence counts.
        var outside = "3.质量检测\n" + Seed.Replace("3. 质量检测", "");
        Assert.Equal(["scenario 2099-03 '质量检测' is not numbered 3. in the catalog"], SourceCheck.NamesAndNumbers(Edition, outside));
    }

    [Fact]
    public void The_edition_in_force_is_the_one_the_notice_names()
    {
        Assert.Empty(SourceCheck.NamedInForce(Title, Seed));
        Assert.Single(SourceCheck.NamedInForce("示例场景指引（2098年版）", Seed));
    }

    [Fact]
    public void Area_notes_of_a_seed_and_the_domain_rule_are_read_stage_by_stage()
    {
        Assert.Equal(new Dictionary<string, ConstructionArea>
        {
            ["工厂建设"] = ConstructionArea.FactoryConstruction,
            ["信息基础设施"] = ConstructionArea.FactoryConstruction,
        }, SourceCheck.SeedAreaNotes(Seed, Title));
        Assert.Empty(SourceCheck.SeedAreaNotes(Seed, "另一指引"));

        var domain = "The catalog in force. Map its stages\nto the five areas: 工厂建设 → 工厂建设; 产品研发 + 工艺设计 →\n研发设计. Keep the rest.";
        Assert.Equal(new Dictionary<string, ConstructionArea>
        {
            ["工厂建设"] = ConstructionArea.FactoryConstruction,
            ["产品研发"] = ConstructionArea.RndDesign,
            ["工艺设计"] = ConstructionArea.RndDesign,
        }, SourceCheck.DomainAreaRule(domain));
        Assert.Empty(SourceCheck.DomainAreaRule("no rule here."));
        Assert.Throws<FormatException>(() => SourceCheck.ParseAreaRule("工厂建设 → 信息化"));
    }

    [Fact]
    public void A_mapping_marked_seed_must_be_one_a_source_states_and_a_stated_one_must_be_marked_seed()
    {
        // The seed states 工厂建设 (and 信息基础设施, no stage here, which is reported); the rule states 生产作业.
        var rule = new Dictionary<string, ConstructionArea> { ["生产作业"] = ConstructionArea.ProductionOperations };
        var seedOnly = Seed.Replace("工厂建设、信息基础设施两个环节", "工厂建设、工厂建设两个环节");
        Assert.Empty(SourceCheck.StatedAreas(Edition, Source(("工厂建设", "seed"), ("生产作业", "seed")), seedOnly, rule));
        // Not in force: only the seed's notes count, so 生产作业 must be a judgement.
        Assert.Empty(SourceCheck.StatedAreas(Edition, Source(("工厂建设", "seed"), ("生产作业", "judgement")), seedOnly, null));

        Assert.Equal(["900_x.txt maps '信息基础设施', which is no stage of the edition"],
            SourceCheck.StatedAreas(Edition, Source(("工厂建设", "seed"), ("生产作业", "judgement")), Seed, null));
        Assert.Equal(["'生产作业' is marked areaBasis \"seed\", but no source states its area"],
            SourceCheck.StatedAreas(Edition, Source(("工厂建设", "seed"), ("生产作业", "seed")), seedOnly, null));
        Assert.Equal(["DOMAIN.md states the area of '生产作业', whose areaBasis is not \"seed\""],
            SourceCheck.StatedAreas(Edition, Source(("工厂建设", "seed"), ("生产作业", "judgement")), seedOnly, rule));
        var otherArea = new Dictionary<string, ConstructionArea> { ["生产作业"] = ConstructionArea.ProductionManagement };
        Assert.Equal(["DOMAIN.md maps '生产作业' to ProductionManagement; the data says ProductionOperations"],
            SourceCheck.StatedAreas(Edition, Source(("工厂建设", "seed"), ("生产作业", "seed")), seedOnly, otherArea));
        Assert.Contains("DOMAIN.md has no rule \"Map its stages to the five areas: …\"",
            SourceCheck.StatedAreas(Edition, Source(("工厂建设", "seed"), ("生产作业", "judgement")), seedOnly, new Dictionary<string, ConstructionArea>()));
    }

    [Fact]
    public void Kpis_are_the_annex_lines_and_the_annex_has_no_others()
    {
        Kpi[] kpis = [new("K01", "甲设备数控化率", "%", 0, 100), new("K02", "乙模型数量", "个", 0, 1000)];
        const string annex = "附2\n序号\t名称\n一、能力提升类指标\n1\t甲设备数控化率 (%)\r\n2\t乙模型数量 (个)\n说明 (无)\n";
        Assert.Empty(SourceCheck.KpiLines(kpis, annex));
        Assert.Equal(["K02: no line '2<TAB>乙模型数量 (个)'"], SourceCheck.KpiLines(kpis, annex.Replace("乙模型数量 (个)", "乙模型数量 (家)")));
        Assert.Equal(["the seed lists 3 numbered indicators with a unit; the data has 2"], SourceCheck.KpiLines(kpis, annex + "3\t丙企业数量 (家)\n"));
    }

    [Fact]
    public void The_domain_digest_names_the_edition_in_force_and_the_maturity_levels()
    {
        Assert.Empty(SourceCheck.DomainNamesInForce(Edition, "The scenario catalog in force is the 2099 edition\n(2 stages, 3 scenarios; `seeds/900`)."));
        Assert.Single(SourceCheck.DomainNamesInForce(Edition, "The scenario catalog in force is the 2099 edition (2 stages, 4 scenarios)."));
        MaturityLevel[] levels = [new(1, "规划级"), new(2, "规范级")];
        Assert.Empty(SourceCheck.MaturityNames(levels, "GB/T 1-2000", "Maturity levels GB/T 1-2000: 1 规划级, 2 规范级."));
        Assert.Single(SourceCheck.MaturityNames(levels, "GB/T 1-2000", "Maturity levels GB/T 1-2000: 1 规划级, 2 集成级."));
    }

    [Theory]
    [InlineData(1, "一")]
    [InlineData(9, "九")]
    [InlineData(10, "十")]
    [InlineData(11, "十一")]
    [InlineData(16, "十六")]
    public void Headings_are_numbered_in_Chinese(int n, string numeral) => Assert.Equal(numeral, SourceCheck.ChineseNumeral(n));

    [Fact]
    public void The_command_refuses_a_missing_folder_and_fails_every_check_whose_document_is_absent()
    {
        var output = new StringWriter();
        Assert.Equal(2, SourceCheck.Run([], output));
        Assert.StartsWith("usage: SmartFactory.Registry check-sources DIR", output.ToString());
        Assert.Equal(2, SourceCheck.Run([Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))], new StringWriter()));

        // An empty folder (inside one of our own, so that no DOMAIN.md of someone else's is its parent's).
        var parent = Directory.CreateTempSubdirectory("sf-sources-");
        try
        {
            output = new StringWriter();
            Assert.Equal(1, SourceCheck.Run([parent.CreateSubdirectory("seeds").FullName], output));
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var checks = lines.Where(l => l.StartsWith("ok", StringComparison.Ordinal) || l.StartsWith("FAIL", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(checks);
            Assert.All(checks, l => Assert.StartsWith("FAIL", l));
            Assert.Contains("004_f8f3939c3645480a.txt was not found", lines);
            Assert.Contains("DOMAIN.md was not found", lines);
            Assert.Equal($"{checks.Count} checks, {checks.Count} failed", lines[^1]);
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }
}
