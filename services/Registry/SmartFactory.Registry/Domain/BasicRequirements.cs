using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>The applicant's legal form (003 第三条): an independent legal person, or a branch where its industry allows it.</summary>
public enum LegalForm { Independent, Branch }

/// <summary>One basic requirement (要素条件 一、基础要求; 003 第三条) an application declares met, and whether evidence goes with it.</summary>
public sealed record Requirement(string Code, string Text, string Article, bool NeedsEvidence);

/// <summary>The enterprise's declaration of one requirement.</summary>
public sealed record Declaration(string Code, bool Affirmed, string Note);

/// <summary>The reviewing authority's finding on one declaration, with a file when it consulted another body.</summary>
public sealed record Verification(string Code, bool Confirmed, string Note, Guid? AttachmentId, string ByRole, string ByName, DateTime At);

/// <summary>
/// The checklist of basic requirements every application declares (003 第三条 and 附1 一、基础要求), in the order the
/// reviewers read it. The truth-and-no-secrets statement (004 二) is the form's own flag.
/// </summary>
public static class BasicRequirements
{
    /// <summary>规模以上工业企业: main business revenue of at least 20 million yuan a year (国家统计局), in 万元.</summary>
    public const double DesignatedSizeRevenue = 2000;
    public const int MaxNoteLength = 500;

    public static readonly IReadOnlyList<Requirement> All =
    [
        new("legal_person", "在湖北省内工商注册登记，具有独立法人资格（石油石化、有色金属等行业允许法人的分支机构申报）", "003 第三条", false),
        new("above_designated_size", "规模以上工业企业，企业和产品均具有较强市场竞争力", "003 附1 一.1", true),
        new("not_listed", "未被列入经营异常名录或严重失信主体名单", "003 第三条", false),
        new("products_permitted", "提供的产品（服务）不属于国家禁止、限制或淘汰类", "003 第三条", false),
        new("sound_finances", "近三年经营和财务状况良好，无不良信用记录，无偷漏税等违法违规行为", "003 第三条; 附1 一.2", false),
        new("no_serious_accident", "近三年无亡人或较大及以上安全事故、无较大及以上环保、质量等事故", "003 第三条; 附1 一.2", false),
        // Its evidence is the dossier's lists of key equipment and industrial software.
        new("secure_controllable", "关键技术装备、工业软件、工业操作系统、系统解决方案等安全可控，网络安全和数据安全风险可控", "003 附1 一.3", false),
        new("organisation_and_people", "建立智能工厂统筹规划、建设和运营的组织机制，拥有一批智能制造专业人才", "003 附1 一.4", true),
    ];

    private static readonly Dictionary<string, Requirement> ByCode = All.ToDictionary(r => r.Code);

    /// <summary>
    /// GB/T 4754-2017 divisions whose enterprises may apply through a branch (003 第三条: 石油石化、有色金属): oil and gas
    /// extraction (07), petroleum and coal processing (25), chemicals (26, where petrochemicals sit), non-ferrous mining (09)
    /// and smelting (32).
    /// </summary>
    public static readonly IReadOnlySet<string> BranchIndustries = new HashSet<string> { "07", "09", "25", "26", "32" };

    public static Requirement? Find(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>Reads the declarations of a form: known codes, each once, notes within bounds.</summary>
    public static IReadOnlyList<Declaration> Read(Violations violations, IReadOnlyList<(string Code, bool Affirmed, string? Note)> declarations)
    {
        var result = new List<Declaration>();
        var seen = new HashSet<string>();
        for (var i = 0; i < declarations.Count; i++)
        {
            var (code, affirmed, note) = declarations[i];
            var field = $"declarations[{i}]";
            if (!ByCode.ContainsKey(code)) violations.Add($"{field}.code", $"'{code}' is not a basic requirement ({string.Join(", ", All.Select(r => r.Code))})");
            else if (!seen.Add(code)) violations.Add($"{field}.code", $"{code} is declared twice");
            var text = violations.Optional($"{field}.note", note, MaxNoteLength);
            result.Add(new Declaration(code, affirmed, text));
        }
        return result;
    }

    /// <summary>
    /// What keeps a complete form from meeting the basic requirements: a requirement not declared met, revenue below the
    /// designated size, a branch outside the industries that allow one. Each in the rule's words.
    /// </summary>
    public static List<string> Unmet(IReadOnlyList<Declaration> declarations, double? lastYearRevenue, LegalForm? legalForm, string industryCode)
    {
        var unmet = new List<string>();
        var declared = declarations.ToDictionary(d => d.Code);
        foreach (var requirement in All)
        {
            if (!declared.TryGetValue(requirement.Code, out var declaration))
                unmet.Add($"declare the basic requirement {requirement.Code} ({requirement.Text}, {requirement.Article})");
            else if (!declaration.Affirmed)
                unmet.Add($"the basic requirement {requirement.Code} is not met ({requirement.Text}, {requirement.Article}); the factory cannot apply");
        }
        if (lastYearRevenue is null) unmet.Add("last_year_revenue is required: 规模以上 means main business revenue of at least 2000 万元");
        else if (lastYearRevenue < DesignatedSizeRevenue)
            unmet.Add($"last year's revenue of {lastYearRevenue} 万元 is below the designated size (规模以上工业企业: at least {DesignatedSizeRevenue} 万元, 003 附1 一.1)");
        if (legalForm is null) unmet.Add("legal_form is required: an independent legal person or a branch");
        else if (legalForm == LegalForm.Branch && !BranchIndustries.Contains(industryCode))
            unmet.Add($"a branch (分支机构) applies only in petrochemicals and non-ferrous metals (003 第三条); industry {industryCode} is neither");
        return unmet;
    }

    /// <summary>
    /// Reads a reviewer's verifications: each names a declared requirement once, a finding that it is not met says why,
    /// an attachment is a file id.
    /// </summary>
    public static List<Verification> ReadVerifications(Violations violations, IReadOnlyList<(string Code, bool Confirmed, string? Note, string? AttachmentId)> items,
        CallerScope caller, DateTime now)
    {
        var result = new List<Verification>();
        var seen = new HashSet<string>();
        if (items.Count == 0) violations.Add("verifications", "name at least one declaration verified");
        for (var i = 0; i < items.Count; i++)
        {
            var (code, confirmed, note, attachment) = items[i];
            var field = $"verifications[{i}]";
            if (!ByCode.ContainsKey(code)) violations.Add($"{field}.code", $"'{code}' is not a basic requirement");
            else if (!seen.Add(code)) violations.Add($"{field}.code", $"{code} is verified twice");
            var text = confirmed ? violations.Optional($"{field}.note", note, MaxNoteLength) : violations.Required($"{field}.note", note, MaxNoteLength);
            Guid? attachmentId = null;
            if (!string.IsNullOrEmpty(attachment))
            {
                if (Guid.TryParse(attachment, out var id)) attachmentId = id;
                else violations.Add($"{field}.attachment_id", "must be the id of an uploaded file");
            }
            result.Add(new Verification(code, confirmed, text, attachmentId, caller.Role.ToString().ToLowerInvariant(), caller.Name, now));
        }
        return result;
    }
}
