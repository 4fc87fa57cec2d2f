using System.Text;

namespace SmartFactory.Deployment.Tests;

/// <summary>
/// Reads the YAML subset that values.yaml, Chart.yaml and skaffold.yaml are written in: block maps and lists,
/// plain and quoted scalars, one-line flow collections, literal blocks and comments. No YAML package restores from
/// the feed here. Maps keep their order; every scalar stays a string. Anything outside the subset throws, so a
/// file drifting out of it fails loudly instead of being misread.
/// </summary>
public static class MiniYaml
{
    public static object? Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        var pos = 0;
        var root = ParseNode(lines, ref pos, -1);
        Skip(lines, ref pos);
        if (pos < lines.Count) throw new FormatException($"line {pos + 1} is outside the YAML subset: '{lines[pos]}'");
        return root;
    }

    private static bool IsContent(string line)
    {
        var t = line.TrimStart();
        return t.Length > 0 && !t.StartsWith('#') && t != "---";
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static void Skip(List<string> lines, ref int pos)
    {
        while (pos < lines.Count && !IsContent(lines[pos])) pos++;
    }

    private static bool IsListItem(string line) => line.TrimStart() is var t && (t == "-" || t.StartsWith("- "));

    private static object? ParseNode(List<string> lines, ref int pos, int parentIndent)
    {
        Skip(lines, ref pos);
        if (pos >= lines.Count) return null;
        var indent = Indent(lines[pos]);
        if (indent <= parentIndent) return null;
        return IsListItem(lines[pos]) ? ParseList(lines, ref pos, indent) : ParseMap(lines, ref pos, indent);
    }

    private static Dictionary<string, object?> ParseMap(List<string> lines, ref int pos, int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            Skip(lines, ref pos);
            if (pos >= lines.Count) break;
            var line = lines[pos];
            var lineIndent = Indent(line);
            if (lineIndent < indent || (lineIndent == indent && IsListItem(line))) break;
            if (lineIndent > indent) throw new FormatException($"line {pos + 1}: unexpected indentation: '{line}'");
            var (key, rest) = SplitKey(line.Trim()) ?? throw new FormatException($"line {pos + 1}: expected 'key: value': '{line}'");
            if (map.ContainsKey(key)) throw new FormatException($"line {pos + 1}: duplicate key '{key}'");
            pos++;
            map[key] = ParseValue(rest, lines, ref pos, indent);
        }
        return map;
    }

    private static List<object?> ParseList(List<string> lines, ref int pos, int indent)
    {
        var list = new List<object?>();
        while (true)
        {
            Skip(lines, ref pos);
            if (pos >= lines.Count) break;
            var line = lines[pos];
            if (Indent(line) != indent || !IsListItem(line)) break;
            var afterDash = line.TrimStart()[1..];
            var content = afterDash.TrimStart();
            if (content.Length == 0)
            {
                pos++;
                list.Add(ParseNode(lines, ref pos, indent));
            }
            else if (SplitKey(content) is not null)
            {
                // "- key: value" opens a map whose keys line up with this first one.
                var itemIndent = indent + 1 + (afterDash.Length - content.Length);
                lines[pos] = new string(' ', itemIndent) + content;
                list.Add(ParseMap(lines, ref pos, itemIndent));
            }
            else
            {
                pos++;
                list.Add(Scalar(StripComment(content)));
            }
        }
        return list;
    }

    private static object? ParseValue(string rest, List<string> lines, ref int pos, int indent)
    {
        var value = StripComment(rest);
        if (value.Length == 0)
        {
            Skip(lines, ref pos);
            if (pos >= lines.Count) return null;
            var next = Indent(lines[pos]);
            if (next > indent) return ParseNode(lines, ref pos, indent);
            if (next == indent && IsListItem(lines[pos])) return ParseList(lines, ref pos, indent);
            return null;
        }
        if (value is "|" or "|-" or ">" or ">-") return BlockScalar(value, lines, ref pos, indent);
        return Scalar(value);
    }

    private static string BlockScalar(string header, List<string> lines, ref int pos, int indent)
    {
        var body = new List<string>();
        var blockIndent = -1;
        while (pos < lines.Count && (lines[pos].Trim().Length == 0 || Indent(lines[pos]) > indent))
        {
            if (lines[pos].Trim().Length > 0 && blockIndent < 0) blockIndent = Indent(lines[pos]);
            body.Add(lines[pos].Length > blockIndent && blockIndent >= 0 ? lines[pos][blockIndent..] : "");
            pos++;
        }
        while (body.Count > 0 && body[^1].Length == 0) body.RemoveAt(body.Count - 1);
        var text = string.Join(header.StartsWith('>') ? " " : "\n", body);
        return header.EndsWith('-') ? text : text + "\n";
    }

    /// <summary>Splits "key: value" (key plain or quoted); null when the text is not a mapping entry.</summary>
    private static (string Key, string Value)? SplitKey(string text)
    {
        if (text.Length == 0 || text[0] is '{' or '[') return null;
        if (text[0] is '"' or '\'')
        {
            var close = text.IndexOf(text[0], 1);
            if (close < 0) return null;
            var after = text[(close + 1)..];
            return after.StartsWith(':') && (after.Length == 1 || after[1] == ' ')
                ? (text[1..close], after[1..])
                : null;
        }
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 && text.EndsWith(':')) colon = text.Length - 1;
        if (colon <= 0) return null;
        var key = text[..colon];
        return key.Contains(" #") ? null : (key, text[(colon + 1)..]);
    }

    private static string StripComment(string text)
    {
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '"' or '\'' && (i == 0 || text[i - 1] is ' ' or '[' or ',' or '{')) quote = c;
            else if (c == '#' && (i == 0 || text[i - 1] == ' ')) return text[..i].Trim();
        }
        return text.Trim();
    }

    private static object? Scalar(string text)
    {
        if (text is "~" or "null") return null;
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
            return text[1..^1].Replace("\\\"", "\"").Replace("\\\\", "\\");
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') return text[1..^1].Replace("''", "'");
        if (text == "{}") return new Dictionary<string, object?>();
        if (text == "[]") return new List<object?>();
        if (text[0] == '[' && text[^1] == ']')
            return SplitFlow(text[1..^1]).Select(Scalar).ToList();
        if (text[0] == '{' && text[^1] == '}')
            return SplitFlow(text[1..^1]).ToDictionary(
                entry => (SplitKey(entry) ?? throw new FormatException($"flow map entry '{entry}'")).Key,
                entry => Scalar(SplitKey(entry)!.Value.Value.Trim()));
        if (text[0] is '{' or '[' or '&' or '*' or '!') throw new FormatException($"'{text}' is outside the YAML subset");
        return text;
    }

    private static IEnumerable<string> SplitFlow(string body)
    {
        var current = new StringBuilder();
        char quote = '\0';
        foreach (var c in body)
        {
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '"' or '\'') quote = c;
            else if (c is '[' or '{') throw new FormatException("nested flow collections are outside the YAML subset");
            else if (c == ',') { yield return current.ToString().Trim(); current.Clear(); continue; }
            current.Append(c);
        }
        if (current.ToString().Trim() is { Length: > 0 } last) yield return last;
    }
}
