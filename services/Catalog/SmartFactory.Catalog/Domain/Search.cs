using System.Net;
using System.Text;
using SmartFactory.Kernel;

namespace SmartFactory.Catalog.Domain;

public enum SearchSort { Relevance, Name, Date }

/// <summary>Where the last page stopped, for keyset paging: the last entry's sort key and id.</summary>
public sealed record SearchCursor(SearchSort Sort, string Key, Guid Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sort}|{Id}|{Key}"));

    public static SearchCursor? Decode(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 3);
            return parts.Length == 3 && Enum.TryParse<SearchSort>(parts[0], out var sort) && Guid.TryParse(parts[1], out var id) ? new(sort, parts[2], id) : null;
        }
        catch (FormatException) { return null; }
    }
}

/// <summary>
/// A public search of the catalog, validated: the terms (whitespace separates them, each must match), the filters, the
/// order and the page. Chinese has no spaces: a term of 1-4 characters ("钢", "武汉", "汽车零部件" is 5) matches as a
/// substring of any public name, as Latin letters and digits do.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<string> Terms, Level? Level, string? RegionPrefix, string? Industry, int? Year, RecognitionStatus? Status,
    string? Authority, SearchSort Sort, int PageSize, SearchCursor? After)
{
    public const int MaxQueryLength = 100;
    public const int MaxTerms = 5;

    public static SearchQuery Parse(string? q, int level, string? region, string? industry, int year, string? status, string? authority, string? sort,
        int pageSize, string? pageToken)
    {
        var violations = new Violations();
        var text = violations.Optional("q", q, MaxQueryLength);
        var terms = text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (terms.Count > MaxTerms) violations.Add("q", $"at most {MaxTerms} words");
        if (level is < 0 or > 4) violations.Add("level", "must be basic, advanced, excellent or leading");
        var regionCode = violations.Optional("region", region, 6);
        if (regionCode.Length > 0 && (regionCode.Length != 6 || !regionCode.All(char.IsAsciiDigit))) violations.Add("region", "must be a 6-digit region code (GB/T 2260)");
        var industryCode = violations.Optional("industry", industry, 4);
        if (industryCode.Length > 0 && !industryCode.All(char.IsAsciiDigit)) violations.Add("industry", "must be a GB/T 4754 division such as 36");
        if (year is < 0 or > 9999) violations.Add("year", "must be a year such as 2027");
        RecognitionStatus? parsedStatus = null;
        var statusText = violations.Optional("status", status, 40);
        if (statusText.Length > 0)
        {
            parsedStatus = Enum.GetValues<RecognitionStatus>().Where(s => s != RecognitionStatus.PendingPublicity)
                .Cast<RecognitionStatus?>().FirstOrDefault(s => SnakeCase.Name(s!.Value) == statusText);
            if (parsedStatus is null) violations.Add("status", "must be active, cultivating, expired, cancelled, revoked, removed or superseded");
        }
        var authorityCode = violations.Optional("authority", authority, 6);
        if (authorityCode.Length > 0 && (authorityCode.Length != 6 || !authorityCode.All(char.IsAsciiDigit))) violations.Add("authority", "must be a 6-digit region code, 000000 for MIIT");
        var sortText = violations.Optional("sort", sort, 20);
        var order = terms.Count > 0 ? SearchSort.Relevance : SearchSort.Date;
        if (sortText.Length > 0)
        {
            if (sortText.All(char.IsAsciiLetter) && Enum.TryParse<SearchSort>(sortText, ignoreCase: true, out var chosen)) order = chosen;
            else violations.Add("sort", "must be relevance, name or date");
        }
        if (order == SearchSort.Relevance && terms.Count == 0) order = SearchSort.Date; // nothing to be relevant to
        if (pageSize is < 0 or > Page.MaxSize) violations.Add("page_size", $"must be between 1 and {Page.MaxSize}");
        SearchCursor? after = null;
        if (!string.IsNullOrEmpty(pageToken) && ((after = SearchCursor.Decode(pageToken)) is null || after.Sort != order))
            violations.Add("page_token", "is not a token of this search; start again without one");
        violations.ThrowIfAny();
        return new SearchQuery(terms, level == 0 ? null : (Level)level, regionCode.Length == 0 ? null : PrefixOf(regionCode),
            industryCode.Length == 0 ? null : industryCode, year == 0 ? null : year, parsedStatus, authorityCode.Length == 0 ? null : authorityCode,
            order, pageSize == 0 ? Page.DefaultSize : pageSize, after);
    }

    /// <summary>A city includes its counties (the first 4 digits), the province every city (the first 2); a county, or a
    /// directly administered city such as 仙桃 429004, only itself.</summary>
    public static string PrefixOf(string code) =>
        code.EndsWith("0000", StringComparison.Ordinal) ? code[..2] : code.EndsWith("00", StringComparison.Ordinal) ? code[..4] : code;
}

public static class Highlight
{
    /// <summary>
    /// The text HTML-escaped with every match of a term in &lt;em&gt;…&lt;/em&gt; (case-insensitive; overlapping matches
    /// merged), so a page may show it as it comes.
    /// </summary>
    public static string Mark(string text, IReadOnlyList<string> terms)
    {
        if (terms.Count == 0) return WebUtility.HtmlEncode(text);
        var marked = new bool[text.Length];
        foreach (var term in terms.Where(t => t.Length > 0))
            for (var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(term, at + 1, StringComparison.OrdinalIgnoreCase))
                for (var i = at; i < at + term.Length; i++) marked[i] = true;
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (marked[i] && (i == 0 || !marked[i - 1])) result.Append("<em>");
            result.Append(WebUtility.HtmlEncode(text[i].ToString()));
            if (marked[i] && (i == text.Length - 1 || !marked[i + 1])) result.Append("</em>");
        }
        return result.ToString();
    }

    /// <summary>The text a highlighted fragment shows, without its marks and escapes.</summary>
    public static string Unmark(string marked) => WebUtility.HtmlDecode(marked.Replace("<em>", "").Replace("</em>", ""));
}

/// <summary>A facet's value, its display name and how many entries of the search have it.</summary>
public sealed record FacetCount(string Value, string Name, long Count);

public sealed record SearchFacets(IReadOnlyList<FacetCount> Level, IReadOnlyList<FacetCount> Region, IReadOnlyList<FacetCount> Industry,
    IReadOnlyList<FacetCount> Year, IReadOnlyList<FacetCount> Status, IReadOnlyList<FacetCount> Authority);

/// <summary>
/// An engine's own highlighting of an entry's names (Elasticsearch's), HTML-escaped with matches in &lt;em&gt;…&lt;/em&gt; as
/// <see cref="Highlight.Mark"/> does; a name it did not mark (null, or a former name absent) is marked by Mark.
/// </summary>
public sealed record EntryHighlight(string? EnterpriseName, string? FactoryName, IReadOnlyList<string>? FormerNames);

public sealed record SearchResult(IReadOnlyList<CatalogEntry> Entries, long Total, SearchFacets Facets, SearchCursor? Next)
{
    /// <summary>By entry id, where the engine highlighted (PostgreSQL does not: Mark does it from the terms).</summary>
    public IReadOnlyDictionary<Guid, EntryHighlight> Highlights { get; init; } = new Dictionary<Guid, EntryHighlight>();
}

