namespace SmartFactory.ServiceDefaults;

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
        else if (trimmed.Length > maxLength) Add(field, $"must be at most {maxLength} characters (got {trimmed.Length})");
        return trimmed;
    }

    public void ThrowIfAny()
    {
        if (items.Count > 0) throw new ValidationException(items);
    }
}
