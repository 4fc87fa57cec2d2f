namespace SmartFactory.Kernel;

/// <summary>Collects every wrong field of a request so the caller hears about all of them at once.</summary>
public sealed class Violations
{
    private readonly List<FieldViolation> items = [];

    public IReadOnlyList<FieldViolation> Items => items;

    public void Add(string field, string description) => items.Add(new FieldViolation(field, description));

    /// <summary>Trims a required text field, checking it is present and not longer than <paramref name="maxLength"/>.</summary>
    public string Required(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0) Add(field, "is required");
        else Check(field, trimmed, maxLength);
        return trimmed;
    }

    /// <summary>Trims an optional text field, checking its length when given.</summary>
    public string Optional(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length > 0) Check(field, trimmed, maxLength);
        return trimmed;
    }

    /// <summary>A business date as "YYYY-MM-DD"; empty gives null (and a violation when required).</summary>
    public DateOnly? Date(string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, "is required (YYYY-MM-DD)");
            return null;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date)) return date;
        Add(field, $"'{value}' is not a date (YYYY-MM-DD)");
        return null;
    }

    /// <summary>A record's id (a UUID); empty gives null (and a violation when required).</summary>
    public Guid? Id(string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, "is required");
            return null;
        }
        if (Guid.TryParse(value, out var id)) return id;
        Add(field, "must be a UUID");
        return null;
    }

    /// <summary>The one id a call names, or a validation error naming its field.</summary>
    public static Guid ParseId(string? value, string field = "id") => Guid.TryParse(value, out var id)
        ? id
        : throw new ValidationException([new FieldViolation(field, "must be a UUID")]);

    private void Check(string field, string value, int maxLength)
    {
        if (value.Length > maxLength) Add(field, $"must be at most {maxLength} characters (got {value.Length})");
        // PostgreSQL refuses NUL in text; other control characters have no place in a name or a reason either.
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) Add(field, "must not contain control characters");
    }

    public void ThrowIfAny()
    {
        if (items.Count > 0) throw new ValidationException(items);
    }
}
