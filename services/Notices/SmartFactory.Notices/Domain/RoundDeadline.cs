using SmartFactory.Kernel;

namespace SmartFactory.Notices.Domain;

/// <summary>
/// A round is complete, publicity included, by its deadline (003 第十、十二条: basic by 31 March, advanced by 30 June, unless
/// the province extended it): a notice may not end after the deadline of any round whose applications it lists.
/// </summary>
public static class RoundDeadline
{
    /// <param name="deadlines">Each item's factory and its round's deadline in force, as the registry answers it.</param>
    public static void EnsureEndsInTime(DateOnly endsOn, IEnumerable<(string FactoryName, DateOnly CompleteBy)> deadlines)
    {
        var late = deadlines.Where(d => endsOn > d.CompleteBy)
            .Select(d => $"{d.FactoryName}: its round is to be complete, publicity included, by {d.CompleteBy:yyyy-MM-dd}, and this notice would end on {endsOn:yyyy-MM-dd}; start earlier, shorten the period, or ask the province to extend the round (003 第十、十二条)")
            .ToList();
        if (late.Count > 0) throw new RuleViolationException(late);
    }
}
