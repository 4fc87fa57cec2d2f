using System.Text.Json;
using System.Text.RegularExpressions;
using SmartFactory.Registry.Domain;

namespace SmartFactory.Registry;

/// <summary>
/// <c>SmartFactory.Registry check-sources DIR</c> (<c>./dev check-sources DIR</c>): holds the reference data under
/// Data/Reference (scenario catalogs, KPIs, maturity levels) against the documents it was transcribed from — the seed
/// texts in DIR, and the domain digest DOMAIN.md in DIR or its parent — and prints each check. Exits 0 when every check
/// agrees, 1 on any mismatch, 2 on a usage error. The documents live outside the repository, so this is a command and
/// not a test; the data's own consistency, and these comparisons on small made-up texts, are tested in
/// tests/SmartFactory.Registry.Tests.
/// </summary>
public static class SourceCheck
{
    public const string Command = "check-sources";
    public const string DomainFile = "DOMAIN.md";

    private static readonly Dictionary<string, ConstructionArea> AreaByChineseName = new(StringComparer.Ordinal)
    {
        ["工厂建设"] = ConstructionArea.FactoryConstruction,
        ["研发设计"] = ConstructionArea.RndDesign,
        ["生产作业"] = ConstructionArea.ProductionOperations,
        ["生产管理"] = ConstructionArea.ProductionManagement,
        ["运营管理"] = ConstructionArea.OperationsManagement,
    };

    /// <summary>One check: what it compared, and every disagreement it found (none: it passed).</summary>
    public sealed record Result(string Name, IReadOnlyList<string> Mismatches)
    {
        public bool Passed => Mismatches.Count == 0;
    }

    /// <summary>What the data files say about their sources, beyond what <see cref="ReferenceCatalogs"/> keeps.</summary>
    public sealed record EditionSource(string Edition, string Seed, string Title, IReadOnlyDictionary<string, string> AreaBasisByStage);

    public sealed record DataSources(IReadOnlyList<EditionSource> Editions, string KpiSeed, string Standard, string StandardTitle, IReadOnlyList<string> StandardCitedIn);

    /// <summary>The command: <paramref name="args"/> are what follows <c>check-sources</c>.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        if (args is not [var dir])
        {
            output.WriteLine($"usage: SmartFactory.Registry {Command} DIR   (DIR: the seed texts; {DomainFile} is read from DIR or its parent)");
            return 2;
        }
        if (!Directory.Exists(dir))
        {
            output.WriteLine($"{Command}: no directory {dir}");
            return 2;
        }
        var domainPath = new[] { Path.Combine(dir, DomainFile), Path.Combine(dir, "..", DomainFile) }.FirstOrDefault(File.Exists);
        var results = CheckAll(Data.ReferenceFiles.Read(), ReadDataSources(), file => ReadIfExists(Path.Combine(dir, file)),
            domainPath is null ? null : File.ReadAllText(domainPath));
        output.WriteLine($"reference data against the sources in {Path.GetFullPath(dir)}" + (domainPath is null ? "" : $" and {Path.GetFullPath(domainPath)}"));
        foreach (var result in results)
        {
            output.WriteLine($"{(result.Passed ? "ok  " : "FAIL")}  {result.Name}");
            foreach (var mismatch in result.Mismatches) output.WriteLine($"        {mismatch}");
        }
        var failed = results.Count(r => !r.Passed);
        output.WriteLine($"{results.Count} checks, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Every check, against documents read by name (<paramref name="seed"/> gives null for a missing file).</summary>
    public static IReadOnlyList<Result> CheckAll(ReferenceCatalogs catalogs, DataSources sources, Func<string, string?> seed, string? domain)
    {
        var results = new List<Result>();
        var inForce = catalogs.Editions.Single(e => e.InForce);
        var domainRule = domain is null ? null : DomainAreaRule(domain);
        foreach (var source in sources.Editions)
        {
            var edition = catalogs.Edition(source.Edition) ?? throw new InvalidDataException($"edition {source.Edition} is not loaded");
            var text = seed(source.Seed);
            var where = $"scenario catalog {edition.Edition} ({source.Seed})";
            results.Add(WithSeed($"{where}: the size its introduction states is the size listed", source.Seed, text, t => StatedSize(edition, t)));
            results.Add(WithSeed($"{where}: stage and scenario names and numbers are the catalog's", source.Seed, text, t => NamesAndNumbers(edition, t)));
            if (edition.InForce)
                results.Add(WithSeed($"{where}: the seed names this edition as the one that applies", source.Seed, text, t => NamedInForce(source.Title, t)));
            var name = $"{where}: the areas marked \"seed\" are the ones the sources state";
            if (text is null) results.Add(Missing(name, source.Seed));
            else if (edition.InForce && domain is null) results.Add(Missing(name, DomainFile));
            else results.Add(new Result(name, StatedAreas(edition, source, text, edition.InForce ? domainRule ?? new Dictionary<string, ConstructionArea>() : null)));
        }
        results.Add(WithDomain($"the domain digest names the edition in force, {inForce.Edition}, with its size", domain, d => DomainNamesInForce(inForce, d)));
        var kpiSeed = seed(sources.KpiSeed);
        results.Add(WithSeed($"KPIs ({sources.KpiSeed}): each is a line of the annex, and the annex lists no other", sources.KpiSeed, kpiSeed, t => KpiLines(catalogs.Kpis, t)));
        foreach (var file in sources.StandardCitedIn)
            results.Add(WithSeed($"maturity levels ({file}): the seed cites {sources.Standard}《{sources.StandardTitle}》", file, seed(file),
                t => Normalize(t).Contains(Normalize($"{sources.Standard}《{sources.StandardTitle}》"), StringComparison.Ordinal) ? [] : [$"{file} does not cite {sources.Standard}《{sources.StandardTitle}》"]));
        results.Add(WithDomain($"maturity levels: the domain digest lists the five names of {sources.Standard}", domain, d => MaturityNames(catalogs.MaturityLevels, sources.Standard, d)));
        return results;
    }

    /// <summary>The catalog's introduction states its size (凝练…N个环节的M个…场景); the listing must agree with it.</summary>
    public static IReadOnlyList<string> StatedSize(CatalogEdition edition, string seed)
    {
        var stated = StatedCounts(Normalize(seed));
        if (stated is null) return ["the seed has no sentence stating the catalog's size (凝练…N个环节…M个智能制造典型场景)"];
        var listed = (Stages: edition.Stages.Count, Scenarios: edition.Stages.Sum(s => s.Scenarios.Count));
        return (stated.Value.Stages, stated.Value.Scenarios) == listed ? []
            : [$"the seed states {stated.Value.Stages} stages and {stated.Value.Scenarios} scenarios; the data lists {listed.Stages} and {listed.Scenarios}"];
    }

    /// <summary>
    /// Each stage is the heading 一、… 十六、 in catalog order and each scenario the catalog's "n.name", inside the
    /// catalog (from the sentence that states its size); every name is also verbatim in the raw text.
    /// </summary>
    public static IReadOnlyList<string> NamesAndNumbers(CatalogEdition edition, string seed)
    {
        var text = Normalize(seed);
        if (StatedCounts(text) is not { } stated) return ["the seed has no sentence stating the catalog's size, where the catalog starts"];
        var catalog = text[stated.Index..];
        var mismatches = new List<string>();
        for (var i = 0; i < edition.Stages.Count; i++)
        {
            var stage = edition.Stages[i];
            if (!seed.Contains(stage.Name, StringComparison.Ordinal)) mismatches.Add($"stage {stage.Id} '{stage.Name}' is not in the seed");
            // 2025 adds the word 环节 after the name, so the heading is matched as a prefix.
            else if (!catalog.Contains($"{ChineseNumeral(i + 1)}、{stage.Name}", StringComparison.Ordinal))
                mismatches.Add($"stage {stage.Id} '{stage.Name}' is not the catalog's heading {ChineseNumeral(i + 1)}、");
            foreach (var scenario in stage.Scenarios)
            {
                var number = int.Parse(scenario.Id[(edition.Edition.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                if (!seed.Contains(scenario.Name, StringComparison.Ordinal)) mismatches.Add($"scenario {scenario.Id} '{scenario.Name}' is not in the seed");
                else if (!Regex.IsMatch(catalog, $@"(?<!\d){number}\.{Regex.Escape(scenario.Name)}"))
                    mismatches.Add($"scenario {scenario.Id} '{scenario.Name}' is not numbered {number}. in the catalog");
            }
        }
        return mismatches;
    }

    /// <summary>The notice in force says which catalog applies (004 第十条: 智能工厂梯度培育以《…（2025 年版）》为准).</summary>
    public static IReadOnlyList<string> NamedInForce(string title, string seed) =>
        Normalize(seed).Contains(Normalize($"智能工厂梯度培育以《{title}》为准"), StringComparison.Ordinal) ? []
            : [$"the seed does not say 智能工厂梯度培育以《{title}》为准"];

    /// <summary>
    /// A stage whose data says <c>areaBasis: seed</c> has the area a source states: the edition's own seed (003 附1
    /// 注[1]-[5]: "[1]工厂建设涵盖《…（2024年版）》中的工厂建设、信息基础设施两个环节。") or, for the edition in force,
    /// the domain digest's rule (<paramref name="domainRule"/>). Every stated mapping names a stage of the edition, with
    /// the area the data gives it and the basis "seed".
    /// </summary>
    public static IReadOnlyList<string> StatedAreas(CatalogEdition edition, EditionSource source, string seed, IReadOnlyDictionary<string, ConstructionArea>? domainRule)
    {
        var mismatches = new List<string>();
        var stated = new Dictionary<string, (ConstructionArea Area, string By)>(StringComparer.Ordinal);
        foreach (var (stage, area) in SeedAreaNotes(seed, source.Title)) stated[stage] = (area, source.Seed);
        foreach (var (stage, area) in domainRule ?? new Dictionary<string, ConstructionArea>())
            if (stated.TryGetValue(stage, out var other) && other.Area != area) mismatches.Add($"{source.Seed} and {DomainFile} map '{stage}' differently");
            else stated[stage] = (area, DomainFile);
        var stages = edition.Stages.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var (name, (area, by)) in stated)
        {
            if (!stages.TryGetValue(name, out var stage)) mismatches.Add($"{by} maps '{name}', which is no stage of the edition");
            else if (stage.Area != area) mismatches.Add($"{by} maps '{name}' to {area}; the data says {stage.Area}");
            else if (source.AreaBasisByStage.GetValueOrDefault(name) != "seed") mismatches.Add($"{by} states the area of '{name}', whose areaBasis is not \"seed\"");
        }
        foreach (var stage in edition.Stages)
            if (source.AreaBasisByStage.GetValueOrDefault(stage.Name) == "seed" && !stated.ContainsKey(stage.Name))
                mismatches.Add($"'{stage.Name}' is marked areaBasis \"seed\", but no source states its area");
        if (domainRule is { Count: 0 }) mismatches.Add($"{DomainFile} has no rule \"Map its stages to the five areas: …\"");
        return mismatches;
    }

    /// <summary>The notes of a seed that say which stages of a catalog (by title) an area covers.</summary>
    public static IReadOnlyDictionary<string, ConstructionArea> SeedAreaNotes(string seed, string title)
    {
        var map = new Dictionary<string, ConstructionArea>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(seed, $@"\[\d\](?<area>\S+?)涵盖《{Regex.Escape(title)}》中的(?<stages>[^两三四五六七八九]+)[两三四五六七八九]个环节"))
        {
            if (!AreaByChineseName.TryGetValue(m.Groups["area"].Value, out var area)) continue;
            foreach (var stage in m.Groups["stages"].Value.Split('、')) map[stage] = area;
        }
        return map;
    }

    /// <summary>DOMAIN.md's rule for the edition in force ("Map its stages to the five areas: 工厂建设 → 工厂建设; …."); empty when absent.</summary>
    public static IReadOnlyDictionary<string, ConstructionArea> DomainAreaRule(string domain)
    {
        var rule = Regex.Match(Regex.Replace(domain, @"\s+", " "), @"Map its stages to the five areas: (?<rule>[^.]+)\.");
        return rule.Success ? ParseAreaRule(rule.Groups["rule"].Value) : new Dictionary<string, ConstructionArea>();
    }

    /// <summary>"工厂建设 → 工厂建设; 产品研发 + 工艺设计 → 研发设计; …" as stage → area (an unknown area name throws).</summary>
    public static IReadOnlyDictionary<string, ConstructionArea> ParseAreaRule(string rule) =>
        rule.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('→', StringSplitOptions.TrimEntries))
            .SelectMany(p => p.Length == 2 && AreaByChineseName.TryGetValue(p[1], out var area)
                ? p[0].Split('+', StringSplitOptions.TrimEntries).Select(stage => (stage, area))
                : throw new FormatException($"'{string.Join(" → ", p)}' is not 'stage [+ stage] → area' with one of the five areas"))
            .ToDictionary(p => p.stage, p => p.area, StringComparer.Ordinal);

    /// <summary>DOMAIN.md: "The scenario catalog in force is the 2025 edition (8 stages, 40 scenarios; …".</summary>
    public static IReadOnlyList<string> DomainNamesInForce(CatalogEdition inForce, string domain)
    {
        var expected = $"The scenario catalog in force is the {inForce.Edition} edition ({inForce.Stages.Count} stages, {inForce.Stages.Sum(s => s.Scenarios.Count)} scenarios";
        return Regex.Replace(domain, @"\s+", " ").Contains(expected, StringComparison.Ordinal) ? [] : [$"{DomainFile} does not say \"{expected}\""];
    }

    /// <summary>附2 lists "序号&lt;TAB&gt;名称 (单位)", one KPI a line: each KPI is such a line, and there are no others.</summary>
    public static IReadOnlyList<string> KpiLines(IReadOnlyList<Kpi> kpis, string seed)
    {
        var lines = seed.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var mismatches = new List<string>();
        foreach (var kpi in kpis)
        {
            var line = $"{int.Parse(kpi.Id[1..], System.Globalization.CultureInfo.InvariantCulture)}\t{kpi.Name} ({kpi.Unit})";
            if (!lines.Contains(line)) mismatches.Add($"{kpi.Id}: no line '{line.Replace("\t", "<TAB>", StringComparison.Ordinal)}'");
        }
        var listed = lines.Count(l => Regex.IsMatch(l, @"^\d+\t.+ \([^()]+\)$"));
        if (listed != kpis.Count) mismatches.Add($"the seed lists {listed} numbered indicators with a unit; the data has {kpis.Count}");
        return mismatches;
    }

    /// <summary>DOMAIN.md: "Maturity levels GB/T 39116-2020: 1 规划级, 2 规范级, …".</summary>
    public static IReadOnlyList<string> MaturityNames(IReadOnlyList<MaturityLevel> levels, string standard, string domain)
    {
        var expected = $"Maturity levels {standard}: " + string.Join(", ", levels.Select(l => $"{l.Level} {l.Name}"));
        return domain.Contains(expected, StringComparison.Ordinal) ? [] : [$"{DomainFile} does not say \"{expected}\""];
    }

    /// <summary>Where the catalog states its size, and the size (null when the text has no such sentence).</summary>
    public static (int Index, int Stages, int Scenarios)? StatedCounts(string normalized)
    {
        var m = Regex.Match(normalized, @"凝练(?:总结了|出)(\d+)个环节的?(\d+)个智能制造典型场景");
        return m.Success ? (m.Index, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>The seeds are extracted from PDF and Word: spacing and Markdown emphasis vary, the words do not.</summary>
    public static string Normalize(string text) => Regex.Replace(text, @"[\s*#]", "");

    public static string ChineseNumeral(int n)
    {
        const string digits = "一二三四五六七八九";
        return n switch
        {
            >= 1 and < 10 => digits[n - 1].ToString(),
            10 => "十",
            > 10 and < 20 => "十" + digits[n - 11],
            _ => throw new ArgumentOutOfRangeException(nameof(n)),
        };
    }

    /// <summary>The sources as the embedded data files name them (seed file names, titles, each stage's areaBasis).</summary>
    public static DataSources ReadDataSources()
    {
        using var catalogs = Resource("scenario-catalogs.json");
        using var kpis = Resource("kpis.json");
        using var levels = Resource("maturity-levels.json");
        var editions = catalogs.RootElement.GetProperty("editions").EnumerateArray().Select(e => new EditionSource(
            e.GetProperty("edition").GetString()!,
            e.GetProperty("source").GetProperty("seed").GetString()!,
            e.GetProperty("source").GetProperty("title").GetString()!,
            e.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("areaBasis").GetString()!, StringComparer.Ordinal))).ToList();
        var standard = levels.RootElement.GetProperty("source");
        return new DataSources(editions,
            kpis.RootElement.GetProperty("source").GetProperty("seed").GetString()!,
            standard.GetProperty("standard").GetString()!,
            standard.GetProperty("title").GetString()!,
            standard.GetProperty("citedIn").EnumerateArray().Select(f => f.GetString()!).ToList());
    }

    private static JsonDocument Resource(string file)
    {
        using var stream = typeof(ReferenceCatalogs).Assembly.GetManifestResourceStream($"reference/{file}")
            ?? throw new InvalidDataException($"Reference data {file} is not embedded in the assembly");
        return JsonDocument.Parse(stream);
    }

    private static Result WithSeed(string name, string file, string? text, Func<string, IReadOnlyList<string>> check) =>
        text is null ? Missing(name, file) : new Result(name, check(text));

    private static Result WithDomain(string name, string? domain, Func<string, IReadOnlyList<string>> check) =>
        domain is null ? Missing(name, DomainFile) : new Result(name, check(domain));

    private static Result Missing(string name, string file) => new(name, [$"{file} was not found"]);

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
