using SmartFactory.Notices.Domain;

namespace SmartFactory.Notices.Data;

/// <summary>The calendar as read at one revision of the store: its years as stored, and the calendar counted on them.</summary>
public sealed record CalendarSnapshot(long Revision, IReadOnlyList<StoredCalendarYear> Years, WorkingDayCalendar Calendar);

/// <summary>
/// The working-day calendar as this replica counts on it: the store, seeded from the shipped files at first use, read
/// once and kept while the store's revision stands. The revision is asked on each use (one max() over a few dozen
/// rows) rather than on an interval, so that a replica counts a period on the province's upload from the very next
/// draft, with no window in which two replicas count the same period differently; drafts are a few a day.
/// </summary>
public sealed class CalendarCache(CalendarStore store, TimeProvider time)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private CalendarSnapshot? current;
    private bool seeded;

    public async Task<CalendarSnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        if (seeded && current is { } cached && cached.Revision == await store.RevisionAsync(cancellationToken)) return cached;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!seeded)
            {
                await store.SeedAsync(CalendarFiles.ReadYears(), time.GetUtcNow().UtcDateTime, cancellationToken);
                seeded = true;
            }
            // The revision before the years: an upload in between is then read now and only looks like a change next time.
            var revision = await store.RevisionAsync(cancellationToken);
            if (current is { } fresh && fresh.Revision == revision) return fresh;
            var years = await store.ListAsync(cancellationToken);
            current = new CalendarSnapshot(revision, years, WorkingDayCalendar.FromData(years.Select(y => y.Data)));
            return current;
        }
        finally
        {
            gate.Release();
        }
    }
}
