using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using SmartFactory.Catalog.Domain;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Catalog.Data;

/// <summary>Where the catalog stands in the registry's feed: the last change applied and the feed's head when last asked.</summary>
public sealed record FeedPosition(long Applied, long Head)
{
    public long Lag => Math.Max(0, Head - Applied);
}

/// <summary>
/// The read model in the catalog's schema. Changes are applied in feed order, a batch per transaction together with the
/// new position, so a crash at any point leaves the model at the last committed position and each change is applied once.
/// </summary>
public sealed class CatalogStore(NpgsqlDataSource dataSource, AuditWriter audit)
{
    internal const string EntryColumns = """
        id, application_id as ApplicationId, factory_id as FactoryId, enterprise_id as EnterpriseId, enterprise_name as EnterpriseName,
        factory_name as FactoryName, former_names as FormerNames, region_code as RegionCode, region_name as RegionName, city_code as CityCode,
        city_name as CityName, industry_code as IndustryCode, industry_name as IndustryName, level, year, authority_code as AuthorityCode,
        authority_name as AuthorityName, status, effective_on as EffectiveOn, expires_on as ExpiresOn, cultivation_ends_on as CultivationEndsOn,
        ended_on as EndedOn, end_reason as EndReason, published_on as PublishedOn
        """;

    private const string ListColumns = """
        id, name, level, year, authority_code as AuthorityCode, authority_name as AuthorityName, published_on as PublishedOn, batch,
        document_number as DocumentNumber
        """;

    /// <summary>The read model's tables, emptied by a rebuild (the position is reset separately).</summary>
    private const string ModelTables = "list_members, lists, entries, applications, campaigns, factories, enterprises";

    public async Task<FeedPosition> PositionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<FeedPosition>(new CommandDefinition(
            "select applied_sequence as Applied, head_sequence as Head from feed_position where id = 1", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The version of the public answers: this read model's identity and the last change applied. Sequences start again in
    /// a new model (a new database or schema, as in every test run), so the identity is the OID of its position table,
    /// unique in the cluster and kept by a rebuild, which yields the same model.
    /// </summary>
    public async Task<(long Model, long Applied)> AnswersVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "select 'feed_position'::regclass::oid::bigint, applied_sequence from feed_position where id = 1", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Applies the changes after the current position (any at or before it were applied already: skipped) and records the
    /// new position and the feed's head, in one transaction. Answers how many were applied; the entries they wrote are added
    /// to <paramref name="changed"/> (for a search index outside PostgreSQL, once the transaction committed).
    /// </summary>
    public Task<int> ApplyAsync(IReadOnlyList<FeedChange> changes, long head, ReferenceNames names, CancellationToken cancellationToken,
        ICollection<CatalogEntry>? changed = null) =>
        dataSource.InTransactionAsync((connection, transaction) => ApplyAsync(connection, transaction, changes, head, names, cancellationToken, changed),
            cancellationToken);

    /// <summary>Every entry, streamed in id order: what a search index is rebuilt from.</summary>
    public async IAsyncEnumerable<CatalogEntry> AllEntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await foreach (var row in connection.QueryUnbufferedAsync<EntryRow>($"select {EntryColumns} from entries order by id").WithCancellation(cancellationToken))
            yield return row.ToDomain();
    }

    /// <summary>
    /// Empties the model and replays the feed from sequence 0, page by page, in one transaction: readers keep the old model
    /// until the new one commits, as if built in a fresh copy and swapped in. Audited as the province's action.
    /// </summary>
    public Task<FeedPosition> RebuildAsync(CallerScope caller, Func<long, Task<(IReadOnlyList<FeedChange> Changes, long Head)>> page, ReferenceNames names,
        CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var before = await connection.QuerySingleAsync<FeedPosition>(new CommandDefinition(
                "select applied_sequence as Applied, head_sequence as Head from feed_position where id = 1 for update", transaction: transaction,
                cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition($"""
                truncate {ModelTables};
                update feed_position set applied_sequence = 0, head_sequence = 0 where id = 1;
                """, transaction: transaction, cancellationToken: cancellationToken));
            long applied = 0, head;
            while (true)
            {
                (var changes, head) = await page(applied);
                if (changes.Count == 0) break;
                await ApplyAsync(connection, transaction, changes, head, names, cancellationToken);
                applied = changes[^1].Sequence;
            }
            var after = new FeedPosition(applied, Math.Max(head, applied));
            await connection.ExecuteAsync(new CommandDefinition("update feed_position set head_sequence = @Head where id = 1", after, transaction,
                cancellationToken: cancellationToken));
            await audit.WriteAsync(transaction, caller, "catalog.rebuilt", "catalog", "read_model", before, after, cancellationToken);
            return after;
        }, cancellationToken);

    public async Task<(long Entries, long Lists)> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "select (select count(*) from entries), (select count(*) from lists)", cancellationToken: cancellationToken));
    }

    public async Task<CatalogEntry?> GetEntryAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition($"select {EntryColumns} from entries where id = @id",
            new { id }, cancellationToken: cancellationToken));
        return row?.ToDomain();
    }

    /// <summary>The published lists each entry (by application) belongs to.</summary>
    public async Task<ILookup<Guid, Guid>> ListIdsAsync(IReadOnlyList<Guid> applicationIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid ApplicationId, Guid ListId)>(new CommandDefinition("""
            select m.application_id, m.list_id from list_members m join lists l on l.id = m.list_id
            where m.application_id = any(@applicationIds) order by l.published_on, l.id
            """, new { applicationIds = applicationIds.ToArray() }, cancellationToken: cancellationToken));
        return rows.ToLookup(r => r.ApplicationId, r => r.ListId);
    }

    /// <summary>Published lists, newest first, with their sizes; keyset paged by (published_on, id).</summary>
    public async Task<IReadOnlyList<(PublishedList List, int Count)>> ListListsAsync(int? year, Level? level, (DateOnly On, Guid Id)? after, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ListRow>(new CommandDefinition($"""
            select {ListColumns}, (select count(*) from list_members m where m.list_id = l.id)::int as Count from lists l
            where (@year::int is null or year = @year) and (@level::int is null or level = @level)
              and (@afterOn::date is null or (published_on, id) < (@afterOn, @afterId))
            order by published_on desc, id desc limit @limit
            """, new { year, level = (int?)level, afterOn = after?.On, afterId = after?.Id ?? Guid.Empty, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.ToDomain([]), r.Count))];
    }

    /// <summary>A list as announced, its entries in announcement order, each as it stands now.</summary>
    public async Task<(PublishedList List, IReadOnlyList<CatalogEntry> Entries)?> GetListAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ListRow>(new CommandDefinition($"select {ListColumns}, 0 as Count from lists where id = @id",
            new { id }, cancellationToken: cancellationToken));
        if (row is null) return null;
        var members = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "select application_id from list_members where list_id = @id order by position", new { id }, cancellationToken: cancellationToken))).ToList();
        var entries = await connection.QueryAsync<EntryRow>(new CommandDefinition($"select {EntryColumns} from entries where application_id = any(@members)",
            new { members = members.ToArray() }, cancellationToken: cancellationToken));
        var byApplication = entries.ToDictionary(e => e.ApplicationId);
        return (row.ToDomain(members), [.. members.Where(byApplication.ContainsKey).Select(m => byApplication[m].ToDomain())]);
    }

    private static async Task<int> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<FeedChange> changes, long head,
        ReferenceNames names, CancellationToken cancellationToken, ICollection<CatalogEntry>? changed = null)
    {
        // Locks the position: two replicas applying at once (Redis down, see JobLock) take turns, and the second skips what the first applied.
        var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select applied_sequence from feed_position where id = 1 for update",
            transaction: transaction, cancellationToken: cancellationToken));
        var count = 0;
        foreach (var change in changes.Where(c => c.Sequence > applied).OrderBy(c => c.Sequence))
        {
            await new Applier(connection, transaction, names, cancellationToken, changed).ApplyAsync(change);
            applied = change.Sequence;
            count++;
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            update feed_position set applied_sequence = @applied, head_sequence = greatest(@head, @applied), applied_at = now() where id = 1
            """, new { applied, head }, transaction, cancellationToken: cancellationToken));
        return count;
    }

    /// <summary>One change of the feed applied to the model's tables, by entity type; the rules are <see cref="Projection"/>'s.</summary>
    private sealed class Applier(NpgsqlConnection connection, NpgsqlTransaction transaction, ReferenceNames names, CancellationToken cancellationToken,
        ICollection<CatalogEntry>? changed)
    {
        public Task ApplyAsync(FeedChange change) => change.EntityType switch
        {
            "enterprise" => EnterpriseAsync(change.Payload<EnterpriseChange>()),
            "factory" => FactoryAsync(change.Payload<FactoryChange>()),
            "campaign" => Execute("""
                insert into campaigns (id, level, year, region_code) values (@Id, @Level, @Year, @RegionCode)
                on conflict (id) do update set level = excluded.level, year = excluded.year, region_code = excluded.region_code
                """, change.Payload<CampaignChange>() is var c ? new { c.Id, Level = (int)c.Level, c.Year, c.RegionCode } : null),
            "application" => Execute("""
                insert into applications (id, campaign_id, factory_id) values (@Id, @CampaignId, @FactoryId)
                on conflict (id) do update set campaign_id = excluded.campaign_id, factory_id = excluded.factory_id
                """, change.Payload<ApplicationChange>()),
            "recognition" => RecognitionAsync(change.Payload<RecognitionChange>(), change.At),
            "national_decision" => DecisionAsync(change.Payload<NationalDecisionChange>()),
            _ => Task.CompletedTask, // recommendation lists, spot checks: nothing public in the catalog
        };

        private async Task EnterpriseAsync(EnterpriseChange change)
        {
            var old = await Enterprise(change.Id);
            var former = old is null ? [] : Projection.FormerNames(old.FormerNames, old.Name, change.Name);
            await Execute("""
                insert into enterprises (id, name, former_names) values (@Id, @Name, @FormerNames)
                on conflict (id) do update set name = excluded.name, former_names = excluded.former_names
                """, new { change.Id, change.Name, FormerNames = former.ToArray() });
            if (old is not null && old.Name != change.Name) await RefreshAsync("enterprise_id", change.Id);
        }

        private async Task FactoryAsync(FactoryChange change)
        {
            var old = await Factory(change.Id);
            var former = old is null ? [] : Projection.FormerNames(old.FormerNames, old.Name, change.Name);
            await Execute("""
                insert into factories (id, enterprise_id, name, region_code, industry_code, former_names)
                values (@Id, @EnterpriseId, @Name, @RegionCode, @IndustryCode, @FormerNames)
                on conflict (id) do update set name = excluded.name, region_code = excluded.region_code, industry_code = excluded.industry_code,
                    former_names = excluded.former_names
                """, new { change.Id, change.EnterpriseId, change.Name, change.RegionCode, change.IndustryCode, FormerNames = former.ToArray() });
            if (old is not null && (old.Name != change.Name || old.RegionCode != change.RegionCode || old.IndustryCode != change.IndustryCode))
                await RefreshAsync("factory_id", change.Id);
        }

        /// <summary>The entries of a renamed (or moved) factory or enterprise take its new names, keeping the old ones.</summary>
        private async Task RefreshAsync(string column, Guid id)
        {
            var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition($"select {EntryColumns} from entries where {column} = @id", new { id },
                transaction, cancellationToken: cancellationToken));
            foreach (var entry in rows.Select(r => r.ToDomain()))
            {
                var factory = await Factory(entry.FactoryId) ?? throw Missing("factory", entry.FactoryId);
                var enterprise = await Enterprise(entry.EnterpriseId) ?? throw Missing("enterprise", entry.EnterpriseId);
                await UpsertEntryAsync(Projection.Renamed(entry, factory, enterprise, names));
            }
        }

        private async Task RecognitionAsync(RecognitionChange change, DateTime at)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<EntryRow>(new CommandDefinition($"select {EntryColumns} from entries where id = @Id",
                change, transaction, cancellationToken: cancellationToken));
            if (existing is null && !Projection.Publishes(change)) return;
            var factory = await Factory(change.FactoryId) ?? throw Missing("factory", change.FactoryId);
            var enterprise = await Enterprise(change.EnterpriseId) ?? throw Missing("enterprise", change.EnterpriseId);
            var campaign = await connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition("""
                select c.id, c.level, c.year, c.region_code as RegionCode from campaigns c join applications a on a.campaign_id = c.id where a.id = @ApplicationId
                """, change, transaction, cancellationToken: cancellationToken));
            var entry = Projection.Entry(change, factory, enterprise, campaign?.ToDomain(), names,
                existing?.PublishedOn ?? Projection.PublishedOn(change, at));
            await UpsertEntryAsync(entry);
            // Excellent and leading are members of MIIT's decision list, recorded just before them.
            if (existing is null && entry.Level <= Level.Advanced) await JoinBatchAsync(entry);
        }

        /// <summary>A basic or advanced entry joins its authority's list of the day it took effect, made for the first one.</summary>
        private async Task JoinBatchAsync(CatalogEntry entry)
        {
            var key = new { Level = (int)entry.Level, entry.Year, entry.AuthorityCode, entry.PublishedOn };
            var listId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
                select id from lists where authority_code = @AuthorityCode and level = @Level and year = @Year and published_on = @PublishedOn
                """, key, transaction, cancellationToken: cancellationToken));
            if (listId is null)
            {
                var batch = 1 + await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
                    select count(*) from lists where authority_code = @AuthorityCode and level = @Level and year = @Year
                    """, key, transaction, cancellationToken: cancellationToken));
                listId = Projection.ListId(entry.AuthorityCode, entry.Level, entry.Year, batch);
                await Execute("""
                    insert into lists (id, name, level, year, authority_code, authority_name, published_on, batch)
                    values (@Id, @Name, @Level, @Year, @AuthorityCode, @AuthorityName, @PublishedOn, @Batch)
                    """, new
                {
                    Id = listId, Name = Projection.ListName(entry.Year, entry.AuthorityName, entry.Level, batch), key.Level, entry.Year, entry.AuthorityCode,
                    entry.AuthorityName, entry.PublishedOn, Batch = batch,
                });
            }
            await Execute("""
                insert into list_members (list_id, position, application_id)
                select @listId, coalesce(max(position), 0) + 1, @ApplicationId from list_members where list_id = @listId
                on conflict do nothing
                """, new { listId, entry.ApplicationId });
        }

        /// <summary>MIIT's decision (national_decision.recorded) is its list as published: its name, its order, its date.</summary>
        private async Task DecisionAsync(NationalDecisionChange decision)
        {
            var year = await connection.ExecuteScalarAsync<int?>(new CommandDefinition("select year from campaigns where id = @CampaignId", decision,
                transaction, cancellationToken: cancellationToken)) ?? decision.DecidedOn.Year;
            var batch = 1 + await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
                select count(*) from lists where authority_code = @National and level = @Level and year = @year
                """, new { ReferenceNames.National, Level = (int)decision.Level, year }, transaction, cancellationToken: cancellationToken));
            await Execute("""
                insert into lists (id, name, level, year, authority_code, authority_name, published_on, batch, document_number)
                values (@Id, @ListName, @Level, @year, @National, @NationalName, @DecidedOn, @batch, @DocumentNumber)
                on conflict (id) do nothing
                """, new
            {
                decision.Id, decision.ListName, Level = (int)decision.Level, year, ReferenceNames.National, ReferenceNames.NationalName, decision.DecidedOn, batch,
                decision.DocumentNumber,
            });
            await Execute("""
                insert into list_members (list_id, position, application_id) values (@Id, @Position, @ApplicationId) on conflict do nothing
                """, decision.ApplicationIds.Select((a, i) => new { decision.Id, Position = i + 1, ApplicationId = a }));
        }

        private Task UpsertEntryAsync(CatalogEntry e)
        {
            changed?.Add(e);
            return Execute("""
                insert into entries (id, application_id, factory_id, enterprise_id, enterprise_name, factory_name, former_names, region_code, region_name,
                    city_code, city_name, industry_code, industry_name, level, year, authority_code, authority_name, status, effective_on, expires_on,
                    cultivation_ends_on, ended_on, end_reason, published_on, search_text)
                values (@Id, @ApplicationId, @FactoryId, @EnterpriseId, @EnterpriseName, @FactoryName, @FormerNames, @RegionCode, @RegionName,
                    @CityCode, @CityName, @IndustryCode, @IndustryName, @Level, @Year, @AuthorityCode, @AuthorityName, @Status, @EffectiveOn, @ExpiresOn,
                    @CultivationEndsOn, @EndedOn, @EndReason, @PublishedOn, @SearchText)
                on conflict (id) do update set enterprise_name = excluded.enterprise_name, factory_name = excluded.factory_name,
                    former_names = excluded.former_names, region_code = excluded.region_code, region_name = excluded.region_name,
                    city_code = excluded.city_code, city_name = excluded.city_name, industry_code = excluded.industry_code,
                    industry_name = excluded.industry_name, status = excluded.status, effective_on = excluded.effective_on, expires_on = excluded.expires_on,
                    cultivation_ends_on = excluded.cultivation_ends_on, ended_on = excluded.ended_on, end_reason = excluded.end_reason,
                    search_text = excluded.search_text
                """, new
            {
                e.Id, e.ApplicationId, e.FactoryId, e.EnterpriseId, e.EnterpriseName, e.FactoryName, FormerNames = e.FormerNames.ToArray(), e.RegionCode,
                e.RegionName, e.CityCode, e.CityName, e.IndustryCode, e.IndustryName, Level = (int)e.Level, e.Year, e.AuthorityCode, e.AuthorityName,
                Status = SnakeCase.Name(e.Status), e.EffectiveOn, e.ExpiresOn, e.CultivationEndsOn, e.EndedOn, e.EndReason, e.PublishedOn, e.SearchText,
            });
        }

        private async Task<NamedRecord?> Enterprise(Guid id) =>
            (await connection.QuerySingleOrDefaultAsync<(Guid Id, string Name, string[] FormerNames)?>(new CommandDefinition(
                "select id, name, former_names from enterprises where id = @id", new { id }, transaction, cancellationToken: cancellationToken)))
            is { } row ? new NamedRecord(row.Id, row.Name, row.FormerNames) : null;

        private async Task<FactoryRecord?> Factory(Guid id) =>
            (await connection.QuerySingleOrDefaultAsync<(Guid Id, Guid EnterpriseId, string Name, string RegionCode, string IndustryCode, string[] FormerNames)?>(
                new CommandDefinition("select id, enterprise_id, name, region_code, industry_code, former_names from factories where id = @id", new { id },
                    transaction, cancellationToken: cancellationToken)))
            is { } row ? new FactoryRecord(row.Id, row.EnterpriseId, row.Name, row.RegionCode, row.IndustryCode, row.FormerNames) : null;

        private Task Execute(string sql, object? parameters) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

        // The registry records every enterprise and factory in the feed before anything refers to them: a gap is a fault to stop at.
        private static InvalidOperationException Missing(string what, Guid id) => new($"the feed names {what} {id} the catalog has not seen");
    }

    private sealed class CampaignRow
    {
        public Guid Id { get; init; }
        public int Level { get; init; }
        public int Year { get; init; }
        public string RegionCode { get; init; } = "";
        public CampaignChange ToDomain() => new(Id, (Level)Level, Year, RegionCode);
    }

    private sealed class ListRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public int Level { get; init; }
        public int Year { get; init; }
        public string AuthorityCode { get; init; } = "";
        public string AuthorityName { get; init; } = "";
        public DateOnly PublishedOn { get; init; }
        public int Batch { get; init; }
        public string DocumentNumber { get; init; } = "";
        public int Count { get; init; }
        public PublishedList ToDomain(IReadOnlyList<Guid> members) =>
            new(Id, Name, (Level)Level, Year, AuthorityCode, AuthorityName, PublishedOn, Batch, DocumentNumber, members);
    }
}

/// <summary>An entries row as Dapper reads it; states are stored by their snake_case names.</summary>
internal sealed class EntryRow
{
    public Guid Id { get; init; }
    public Guid ApplicationId { get; init; }
    public Guid FactoryId { get; init; }
    public Guid EnterpriseId { get; init; }
    public string EnterpriseName { get; init; } = "";
    public string FactoryName { get; init; } = "";
    public string[] FormerNames { get; init; } = [];
    public string RegionCode { get; init; } = "";
    public string RegionName { get; init; } = "";
    public string CityCode { get; init; } = "";
    public string CityName { get; init; } = "";
    public string IndustryCode { get; init; } = "";
    public string IndustryName { get; init; } = "";
    public int Level { get; init; }
    public int Year { get; init; }
    public string AuthorityCode { get; init; } = "";
    public string AuthorityName { get; init; } = "";
    public string Status { get; init; } = "";
    public DateOnly? EffectiveOn { get; init; }
    public DateOnly? ExpiresOn { get; init; }
    public DateOnly? CultivationEndsOn { get; init; }
    public DateOnly? EndedOn { get; init; }
    public string EndReason { get; init; } = "";
    public DateOnly PublishedOn { get; init; }
    public double Score { get; init; }

    public CatalogEntry ToDomain() => new(Id, ApplicationId, FactoryId, EnterpriseId, EnterpriseName, FactoryName, FormerNames, RegionCode, RegionName,
        CityCode, CityName, IndustryCode, IndustryName, (Level)Level, Year, AuthorityCode, AuthorityName, SnakeCase.Parse<RecognitionStatus>(Status),
        EffectiveOn, ExpiresOn, CultivationEndsOn, EndedOn, EndReason, PublishedOn);
}
