using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using SmartFactory.Notices.Domain;

namespace SmartFactory.Notices.Data;

/// <summary>
/// The working-day calendar's yearly files embedded in this assembly (Data/Calendar/cn-YYYY.json): what a release
/// ships, which seeds the store (<see cref="CalendarStore.SeedAsync"/>) for the years the province has not uploaded.
/// </summary>
public static class CalendarFiles
{
    private const string ResourcePrefix = "calendar/cn-";

    // Strict reading: a missing or null field is a broken file, not a default.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The calendar of the embedded files alone, read and checked (the tests count on the shipped years).</summary>
    public static WorkingDayCalendar Read() => WorkingDayCalendar.FromData(ReadYears());

    /// <summary>The embedded years, read and checked as a calendar.</summary>
    public static IReadOnlyList<CalendarYearData> ReadYears()
    {
        var assembly = typeof(CalendarFiles).Assembly;
        var years = new List<CalendarYearData>();
        foreach (var name in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            years.Add(ReadResource(assembly, name));
        }

        if (years.Count == 0)
        {
            throw new InvalidDataException($"No working-day calendar data is embedded (resources {ResourcePrefix}YYYY.json).");
        }

        WorkingDayCalendar.FromData(years); // throws on any problem of the files
        return years;
    }

    private static CalendarYearData ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidDataException($"Calendar resource {name} cannot be opened.");
        CalendarYearData? data;
        try
        {
            data = JsonSerializer.Deserialize<CalendarYearData>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Calendar file {name} is not valid: {e.Message}", e);
        }

        if (data is null)
        {
            throw new InvalidDataException($"Calendar file {name} is empty.");
        }

        // The file name is what a maintainer looks for; it must not disagree with the content.
        var expected = $"{ResourcePrefix}{data.Year}.json";
        if (name != expected)
        {
            throw new InvalidDataException($"Calendar file {name} holds the year {data.Year}; name it cn-{data.Year}.json.");
        }

        return data;
    }
}
