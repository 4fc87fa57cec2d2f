namespace SmartFactory.Kernel;

/// <summary>Business dates are calendar days in China time (Asia/Shanghai); timestamps stay UTC.</summary>
public static class ChinaTime
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(this TimeProvider time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), China).DateTime);
}
