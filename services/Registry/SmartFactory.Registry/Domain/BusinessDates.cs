using SmartFactory.ServiceDefaults;

namespace SmartFactory.Registry.Domain;

/// <summary>Business dates: today in China, and ISO dates in and out.</summary>
public static class BusinessDates
{
    public static DateOnly Today(TimeProvider time) => time.Today();

    public static string Iso(this DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso(this DateOnly? date) => date?.Iso() ?? "";

    /// <summary>Parses "YYYY-MM-DD", reporting a wrong field instead of throwing; empty gives null.</summary>
    public static DateOnly? Parse(ServiceDefaults.Violations violations, string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) violations.Add(field, "is required (YYYY-MM-DD)");
            return null;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date)) return date;
        violations.Add(field, $"'{value}' is not a date (YYYY-MM-DD)");
        return null;
    }
}
