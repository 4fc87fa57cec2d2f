using System.Text.Json;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.Notices.Domain;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Notices.Data;

/// <summary>A year of the calendar as stored: its data, where it came from, who uploaded it and when it was stored.</summary>
public sealed record StoredCalendarYear(CalendarYearData Data, CalendarOrigin Origin, string? UploadedBy, string? UploadedByName, DateTime StoredAt,
    long Version);

/// <summary>
/// The calendar's SQL (notices.calendar_years). Every write is one transaction with its audit row; the revision a
/// write takes tells every replica's <see cref="CalendarCache"/> to read the calendar again.
/// </summary>
public sealed class CalendarStore(NpgsqlDataSource dataSource, AuditWriter audit)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Columns = """
        year, source_title as SourceTitle, document_number as DocumentNumber, published_on as PublishedOn, source_url as SourceUrl,
        holidays::text as Holidays, adjusted_workdays::text as AdjustedWorkdays, origin, uploaded_by as UploadedBy,
        uploaded_by_name as UploadedByName, stored_at as StoredAt, version
        """;

    /// <summary>The latest write's revision (0 for an empty store); it only grows.</summary>
    public async Task<long> RevisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("select coalesce(max(revision), 0) from calendar_years",
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<StoredCalendarYear>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CalendarRow>(new CommandDefinition($"select {Columns} from calendar_years order by year",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>
    /// Stores the shipped years the store lacks, each with an audit row; a year already stored, uploaded or seeded
    /// before, is left as it is. Replicas starting together insert each year once (the year is the key).
    /// </summary>
    public Task<int> SeedAsync(IReadOnlyList<CalendarYearData> shipped, DateTime now, CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var seeded = 0;
            foreach (var year in shipped)
            {
                var stored = new StoredCalendarYear(year, CalendarOrigin.Shipped, null, null, now, 1);
                var inserted = await connection.ExecuteScalarAsync<int?>(new CommandDefinition($"""
                    {Insert} on conflict (year) do nothing returning year
                    """, Parameters(stored), transaction, cancellationToken: cancellationToken));
                if (inserted is null) continue;
                await audit.WriteAsync(transaction, "smartfactory-notices", "notices service", "service", "", "calendar.seeded", "calendar_year",
                    year.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), null, stored, cancellationToken);
                seeded++;
            }
            return seeded;
        }, cancellationToken);

    /// <summary>
    /// The province's upload: the year created or replaced, with the before and after in the audit row. Writes to one
    /// year are serialized by a lock on the year, so two uploads can not both think they created it.
    /// </summary>
    public Task<(StoredCalendarYear? Before, StoredCalendarYear After)> PutAsync(CallerScope caller, CalendarYearData year, long expectedVersion, DateTime now,
        CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtextextended('notices.calendar:' || @Year::text, 0))",
                new { year.Year }, transaction, cancellationToken: cancellationToken));
            var before = (await connection.QuerySingleOrDefaultAsync<CalendarRow>(new CommandDefinition(
                $"select {Columns} from calendar_years where year = @Year", new { year.Year }, transaction, cancellationToken: cancellationToken)))?.ToDomain();
            if (expectedVersion != 0 && expectedVersion != (before?.Version ?? 0))
                throw new ConcurrencyException($"the {year.Year} calendar changed since version {expectedVersion} (now {before?.Version ?? 0}); read it again");
            var after = new StoredCalendarYear(year, CalendarOrigin.Uploaded, caller.Subject, caller.Name, now, (before?.Version ?? 0) + 1);
            await connection.ExecuteAsync(new CommandDefinition(before is null ? Insert : """
                update calendar_years set source_title = @SourceTitle, document_number = @DocumentNumber, published_on = @PublishedOn,
                    source_url = @SourceUrl, holidays = @Holidays::jsonb, adjusted_workdays = @AdjustedWorkdays::jsonb, origin = @Origin,
                    uploaded_by = @UploadedBy, uploaded_by_name = @UploadedByName, stored_at = @StoredAt, version = @Version,
                    revision = nextval('calendar_revision')
                where year = @Year
                """, Parameters(after), transaction, cancellationToken: cancellationToken));
            await audit.WriteAsync(transaction, caller, before is null ? "calendar.uploaded" : "calendar.replaced", "calendar_year",
                year.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), before, after, cancellationToken);
            return (before, after);
        }, cancellationToken);

    private const string Insert = """
        insert into calendar_years (year, source_title, document_number, published_on, source_url, holidays, adjusted_workdays, origin,
            uploaded_by, uploaded_by_name, stored_at, version)
        values (@Year, @SourceTitle, @DocumentNumber, @PublishedOn, @SourceUrl, @Holidays::jsonb, @AdjustedWorkdays::jsonb, @Origin,
            @UploadedBy, @UploadedByName, @StoredAt, @Version)
        """;

    private static object Parameters(StoredCalendarYear y) => new
    {
        y.Data.Year, SourceTitle = y.Data.Source.Title, y.Data.Source.DocumentNumber, y.Data.Source.PublishedOn, SourceUrl = y.Data.Source.Url,
        Holidays = JsonSerializer.Serialize(y.Data.Holidays, Json), AdjustedWorkdays = JsonSerializer.Serialize(y.Data.AdjustedWorkdays, Json),
        Origin = y.Origin.ToString(), y.UploadedBy, y.UploadedByName, y.StoredAt, y.Version,
    };

    private sealed record CalendarRow(int Year, string SourceTitle, string DocumentNumber, DateOnly PublishedOn, string? SourceUrl, string Holidays,
        string AdjustedWorkdays, string Origin, string? UploadedBy, string? UploadedByName, DateTime StoredAt, long Version)
    {
        public StoredCalendarYear ToDomain() => new(
            new CalendarYearData(Year, new CalendarSource(SourceTitle, DocumentNumber, PublishedOn, SourceUrl),
                JsonSerializer.Deserialize<List<CalendarHoliday>>(Holidays, Json)!, JsonSerializer.Deserialize<List<DateOnly>>(AdjustedWorkdays, Json)!),
            Enum.Parse<CalendarOrigin>(Origin), UploadedBy, UploadedByName, StoredAt, Version);
    }
}
