using System.Globalization;
using System.Text.Json;

namespace SmartFactory.Gateway.Api;

/// <summary>Proto3 values to and from JSON: proto has no null (empty means absent) and carries dates as "YYYY-MM-DD".</summary>
public static class Wire
{
    private const string DateFormat = "yyyy-MM-dd";

    public static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    public static DateOnly? Date(string value) =>
        value.Length == 0 ? null : DateOnly.ParseExact(value, DateFormat, CultureInfo.InvariantCulture);

    public static string Iso(DateOnly? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// A query-string filter spelled as in the JSON bodies ("pending_publicity"); absent gives the proto's UNSPECIFIED (no
    /// filter), and an unknown spelling a problem naming the field.
    /// </summary>
    public static T Filter<T>(string? value, string field, List<ProblemField> problems) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value)) return default;
        var known = Enum.GetValues<T>().Where(v => Convert.ToInt32(v, CultureInfo.InvariantCulture) != 0)
            .ToDictionary(v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));
        if (known.TryGetValue(value, out var parsed)) return parsed;
        problems.Add(new ProblemField(field, $"must be one of {string.Join(", ", known.Keys)}"));
        return default;
    }
}
