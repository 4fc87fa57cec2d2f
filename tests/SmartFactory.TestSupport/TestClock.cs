namespace SmartFactory.TestSupport;

/// <summary>A clock a test moves by hand, so that three years pass in a line of code.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Set(DateTimeOffset value) => now = value;

    public void Advance(TimeSpan by) => now += by;

    /// <summary>Noon in China on <paramref name="day"/>, so the business date is that day.</summary>
    public void SetChinaDate(DateOnly day) => now = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
}
