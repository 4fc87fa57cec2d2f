using SmartFactory.Kernel;

namespace SmartFactory.Registry.Domain;

/// <summary>Business dates: today in China, and ISO dates out (ISO dates in: <see cref="Violations.Date"/>).</summary>
public static class BusinessDates
{
    public static DateOnly Today(TimeProvider time) => time.Today();

    public static string Iso(this DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso(this DateOnly? date) => date?.Iso() ?? "";
}
