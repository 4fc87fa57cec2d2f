using System.Text.Json;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Registry.Data;

public sealed record ApplicationFilter(Guid? CampaignId, ApplicationStatus? Status, Level? Level);
public sealed record RecognitionFilter(Guid? FactoryId, Level? Level, RecognitionStatus? Status);

/// <summary>An application or recognition with the names a reader needs beside it (for an application, its round's deadline too).</summary>
public sealed record Named<T>(T Item, string FactoryName, string EnterpriseName, string RegionCode, string IndustryCode, DateOnly? CompleteBy = null);

public sealed record FeedChange(long Sequence, string EntityType, Guid EntityId, string Kind, string Payload, DateTime At);

/// <summary>
/// SQL for campaigns, applications, recognitions and the feed. Reads take the caller's scope into the WHERE clause
/// through the factory they belong to; each command is one transaction with its audit rows and feed entries.
/// </summary>
public sealed class LifecycleStore(NpgsqlDataSource dataSource, ChangeRecorder changes)
{
    private static readonly JsonSerializerOptions Json = ChangeRecorder.Json;

    private const string Joins = "join factories f on f.id = x.factory_id join enterprises e on e.id = f.enterprise_id";
    private const string ApplicationJoins = Joins + " join campaigns c on c.id = x.campaign_id";

    // ----- campaigns

    public async Task InsertCampaignAsync(CallerScope caller, Campaign campaign, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteUniqueAsync(new CommandDefinition($"""
                insert into campaigns ({CampaignRow.InsertColumns}) values ({CampaignRow.InsertValues})
                """, CampaignRow.Parameters(campaign), transaction, cancellationToken: cancellationToken),
                () => new AlreadyExistsException($"{campaign.RegionCode} already has a {campaign.Year} {campaign.Level.ToString().ToLowerInvariant()} round"));
            await changes.RecordAsync(transaction, caller, "campaign.created", "campaign", campaign.Id, null, campaign, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>A round configured, extended or closed: one transaction with its audit row, refused if it changed meanwhile.</summary>
    public async Task SaveCampaignAsync(CallerScope caller, string kind, Campaign before, Campaign after, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var parameters = CampaignRow.Parameters(after);
            parameters.Add("PreviousVersion", before.Version);
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update campaigns set submission_opens_on = @SubmissionOpensOn, submission_closes_on = @SubmissionClosesOn,
                    decision_due_on = @DecisionDueOn, quotas = @Quotas::jsonb, catalog_edition = @CatalogEdition, status = @Status,
                    extended_to = @ExtendedTo, extension_reason = @ExtensionReason, closed_on = @ClosedOn, version = @Version
                where id = @Id and version = @PreviousVersion
                """, parameters, transaction, cancellationToken: cancellationToken));
            if (updated == 0) throw new ConcurrencyException($"campaign {after.Id} changed meanwhile; read it again");
            await changes.RecordAsync(transaction, caller, kind, "campaign", after.Id, before, after, cancellationToken);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Campaign>> ListCampaignsAsync(int? year, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CampaignRow>(new CommandDefinition(
            $"select {CampaignRow.Columns} from campaigns where @year::int is null or year = @year order by year desc, level, region_code", new { year },
                cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDomain())];
    }

    /// <summary>What keeps a round from closing: its applications still open, and its recognitions still awaiting publicity.</summary>
    public async Task<IReadOnlyList<string>> UnfinishedInCampaignAsync(Guid campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var open = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*) from applications where campaign_id = @campaignId and status in ('Submitted', 'Returned', 'Recommended')", new { campaignId },
                cancellationToken: cancellationToken));
        var pending = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            select count(*) from recognitions r join applications a on a.id = r.application_id
            where a.campaign_id = @campaignId and r.status = 'PendingPublicity'
            """, new { campaignId }, cancellationToken: cancellationToken));
        return [.. new[]
        {
            open > 0 ? $"{open} application(s) still await a decision" : null,
            pending > 0 ? $"{pending} approved factory(ies) still await publicity (公示) and filing" : null,
        }.OfType<string>()];
    }

    // ----- the province's yearly window of basic rounds

    public async Task SaveRoundWindowAsync(CallerScope caller, RoundWindow? before, RoundWindow window, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into round_windows (year, opens_on, complete_by, set_by, set_at) values (@Year, @OpensOn, @CompleteBy, @SetBy, @SetAt)
                on conflict (year) do update set opens_on = excluded.opens_on, complete_by = excluded.complete_by, set_by = excluded.set_by, set_at = excluded.set_at
                """, window, transaction, cancellationToken: cancellationToken));
            await changes.AuditAsync(transaction, caller, before is null ? "round_window.set" : "round_window.changed", "round_window",
                window.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), before, window, cancellationToken);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<RoundWindow>> ListRoundWindowsAsync(int? year, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<RoundWindow>(new CommandDefinition("""
            select year, opens_on as OpensOn, complete_by as CompleteBy, set_by as SetBy, set_at as SetAt
            from round_windows where @year::int is null or year = @year order by year desc
            """, new { year }, cancellationToken: cancellationToken))];
    }

    // ----- national decisions

    /// <summary>
    /// MIIT's decision with everything it does, in one transaction: the decision, each named application approved, its
    /// recognition, and the factory's lower recognition superseded by it. The document number is unique, so a decision
    /// recorded twice (an import retried) is refused as existing rather than applied twice.
    /// </summary>
    public async Task SaveNationalDecisionAsync(CallerScope caller, NationalDecision decision,
        IReadOnlyList<(Application Before, Application After, Recognition Recognition, (Recognition Before, Recognition After)? Superseded)> effects,
        CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteUniqueAsync(new CommandDefinition("""
                insert into national_decisions (id, level, campaign_id, document_number, decided_on, list_name, application_ids, cultivation_ends_on,
                    source, recorded_by, recorded_at)
                values (@Id, @Level, @CampaignId, @DocumentNumber, @DecidedOn, @ListName, @ApplicationIds::jsonb, @CultivationEndsOn, @Source, @RecordedBy, @RecordedAt)
                """, new
            {
                decision.Id, Level = decision.Level.ToString(), decision.CampaignId, decision.DocumentNumber, decision.DecidedOn, decision.ListName,
                ApplicationIds = JsonSerializer.Serialize(decision.ApplicationIds, Json), decision.CultivationEndsOn, Source = decision.Source.ToString(),
                decision.RecordedBy, decision.RecordedAt,
            }, transaction, cancellationToken: cancellationToken),
                () => new AlreadyExistsException($"the decision {decision.DocumentNumber} is recorded already"));
            // In the feed too: the catalog publishes MIIT's list from it.
            await changes.RecordAsync(transaction, caller, "national_decision.recorded", "national_decision", decision.Id, null, decision, cancellationToken);
            var now = DateTime.UtcNow;
            foreach (var (before, after, recognition, superseded) in effects)
            {
                await UpdateApplicationAsync(connection, transaction, caller, "application.approved", before, after, cancellationToken);
                if (superseded is { } lower) await UpdateRecognitionAsync(connection, transaction, caller, "recognition.superseded", lower.Before, lower.After, now, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition($"""
                    insert into recognitions ({RecognitionRow.InsertColumns}) values ({RecognitionRow.InsertValues})
                    """, RecognitionRow.Parameters(recognition, now), transaction, cancellationToken: cancellationToken));
                await changes.RecordAsync(transaction, caller, "recognition." + recognition.History[^1].Kind, "recognition", recognition.Id, null, recognition, cancellationToken);
            }
        }, cancellationToken);
    }

    public async Task<bool> NationalDecisionRecordedAsync(string documentNumber, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from national_decisions where document_number = @documentNumber)", new { documentNumber }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<(NationalDecision Decision, IReadOnlyList<Guid> Recognitions)>> ListNationalDecisionsAsync(int? year, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition("""
            select d.id, d.level, d.campaign_id as CampaignId, d.document_number as DocumentNumber, d.decided_on as DecidedOn, d.list_name as ListName,
                d.application_ids::text as ApplicationIds, d.cultivation_ends_on as CultivationEndsOn, d.source, d.recorded_by as RecordedBy,
                d.recorded_at as RecordedAt,
                coalesce((select jsonb_agg(r.id order by r.id) from recognitions r where r.national_decision = d.document_number), '[]')::text as Recognitions
            from national_decisions d where @year::int is null or extract(year from d.decided_on) = @year order by d.decided_on desc, d.document_number
            """, new { year }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (new NationalDecision(r.Id, Enum.Parse<Level>(r.Level), r.CampaignId, r.DocumentNumber, r.DecidedOn, r.ListName,
            JsonSerializer.Deserialize<List<Guid>>(r.ApplicationIds, Json)!, r.CultivationEndsOn, Enum.Parse<DecisionSource>(r.Source), r.RecordedBy, r.RecordedAt),
            (IReadOnlyList<Guid>)JsonSerializer.Deserialize<List<Guid>>(r.Recognitions, Json)!))];
    }

    public async Task<Campaign?> GetCampaignAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition($"select {CampaignRow.Columns} from campaigns where id = @id", new { id },
            cancellationToken: cancellationToken));
        return row?.ToDomain();
    }

    // ----- applications

    /// <summary>What the application rules need to know about the factory and its enterprise today.</summary>
    public async Task<ApplicantStanding> StandingAsync(Factory factory, Level level, Guid? excludeApplication, bool factoryInProvince, DateOnly today,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "select level from recognitions where factory_id = @FactoryId and status = 'Active'", new { FactoryId = factory.Id }, cancellationToken: cancellationToken));
        var ban = await connection.QuerySingleOrDefaultAsync<DateOnly?>(new CommandDefinition(
            "select ban_until from recognitions where enterprise_id = @EnterpriseId and ban_until > @today order by ban_until desc limit 1", new { factory.EnterpriseId, today },
                cancellationToken: cancellationToken));
        // Open, or approved with its recognition still to come (pending publicity, or a leading one in cultivation).
        var other = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition("""
            select a.id from applications a left join recognitions r on r.application_id = a.id
            where a.factory_id = @FactoryId and a.level = @Level and a.id <> @Exclude
              and (a.status in ('Draft', 'Submitted', 'Returned', 'Recommended')
                   or (a.status = 'Approved' and r.status in ('PendingPublicity', 'Cultivating')))
            limit 1
            """, new { FactoryId = factory.Id, Level = level.ToString(), Exclude = excludeApplication ?? Guid.Empty }, cancellationToken: cancellationToken));
        return new ApplicantStanding(current is null ? null : Enum.Parse<Level>(current), ban, factoryInProvince, other, factory.RegionCode, factory.IndustryCode);
    }

    public async Task<Named<Application>?> GetApplicationAsync(CallerScope caller, Guid id, CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        parameters.Add("id", id);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ApplicationRow>(new CommandDefinition(
            $"select {ApplicationRow.Columns} from applications x {ApplicationJoins} where x.id = @id and {ScopeSql.Factories(caller)}", parameters,
                cancellationToken: cancellationToken));
        return row?.ToNamed();
    }

    public async Task<(IReadOnlyList<Named<Application>> Items, int Total)> ListApplicationsAsync(CallerScope caller, ApplicationFilter filter, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        var where = new List<string> { ScopeSql.Factories(caller) };
        if (filter.CampaignId is { } campaign) { where.Add("x.campaign_id = @campaign"); parameters.Add("campaign", campaign); }
        if (filter.Status is { } status) { where.Add("x.status = @status"); parameters.Add("status", status.ToString()); }
        if (filter.Level is { } level) { where.Add("x.level = @level"); parameters.Add("level", level.ToString()); }
        var (rows, total) = await PageQuery.RunAsync<ApplicationRow>(dataSource, ApplicationRow.Columns, $"applications x {ApplicationJoins}", where,
            "x.updated_at desc, x.id", parameters, offset, limit, cancellationToken);
        return ([.. rows.Select(r => r.ToNamed())], total);
    }

    public async Task InsertApplicationAsync(CallerScope caller, Application application, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteUniqueAsync(new CommandDefinition("""
                insert into applications (id, campaign_id, factory_id, enterprise_id, level, status, form, warnings, history, recommended_by,
                    recognition_id, version, created_at, updated_at, verifications)
                values (@Id, @CampaignId, @FactoryId, @EnterpriseId, @Level, @Status, @Form::jsonb, @Warnings::jsonb, @History::jsonb, @RecommendedBy,
                    @RecognitionId, @Version, @CreatedAt, @UpdatedAt, @Verifications::jsonb)
                """, ApplicationRow.Parameters(application), transaction, cancellationToken: cancellationToken),
                () => new RuleViolationException([$"the factory already has an open {application.Level.Chinese()} application"]));
            await changes.RecordAsync(transaction, caller, "application.started", "application", application.Id, null, application, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Saves an application's step and, when it was approved, the new recognition, together. A submission re-reads its
    /// dossier after the update has locked the application's row, which every dossier change takes first: a file deleted
    /// just before is seen and refuses the submission, one deleted after finds the application submitted.
    /// </summary>
    public async Task SaveApplicationAsync(CallerScope caller, string kind, Application before, Application after, Recognition? recognition,
        CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await UpdateApplicationAsync(connection, transaction, caller, kind, before, after, cancellationToken);
            if (after.Status == ApplicationStatus.Submitted && before.Status != ApplicationStatus.Submitted)
                (await DossierStore.ReadAsync(connection, transaction, after.Id, cancellationToken)).ThrowIfIncomplete(after.Form.ScenarioIds);
            if (recognition is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition($"""
                    insert into recognitions ({RecognitionRow.InsertColumns}) values ({RecognitionRow.InsertValues})
                    """, RecognitionRow.Parameters(recognition, DateTime.UtcNow), transaction, cancellationToken: cancellationToken));
                await changes.RecordAsync(transaction, caller, "recognition." + recognition.History[^1].Kind, "recognition", recognition.Id, null, recognition, cancellationToken);
            }
        }, cancellationToken);
    }

    // ----- recognitions

    public async Task<Named<Recognition>?> GetRecognitionAsync(CallerScope caller, Guid id, CancellationToken cancellationToken) =>
        (await QueryRecognitionsAsync(caller, "x.id = @id", p => p.Add("id", id), cancellationToken)).SingleOrDefault();

    public async Task<Named<Recognition>?> GetRecognitionOfApplicationAsync(CallerScope caller, Guid applicationId, CancellationToken cancellationToken) =>
        (await QueryRecognitionsAsync(caller, "x.application_id = @application", p => p.Add("application", applicationId), cancellationToken)).SingleOrDefault();

    public async Task<(IReadOnlyList<Named<Recognition>> Items, int Total)> ListRecognitionsAsync(CallerScope caller, RecognitionFilter filter, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        var where = new List<string> { ScopeSql.Factories(caller) };
        if (filter.FactoryId is { } factory) { where.Add("x.factory_id = @factory"); parameters.Add("factory", factory); }
        if (filter.Level is { } level) { where.Add("x.level = @level"); parameters.Add("level", level.ToString()); }
        if (filter.Status is { } status) { where.Add("x.status = @status"); parameters.Add("status", status.ToString()); }
        var (rows, total) = await PageQuery.RunAsync<RecognitionRow>(dataSource, RecognitionRow.Columns, $"recognitions x {Joins}", where,
            "x.updated_at desc, x.id", parameters, offset, limit, cancellationToken);
        return ([.. rows.Select(r => r.ToNamed())], total);
    }

    /// <summary>Live recognitions in scope, for the list of clocks about to run out.</summary>
    public Task<IReadOnlyList<Named<Recognition>>> LiveRecognitionsAsync(CallerScope caller, CancellationToken cancellationToken) =>
        QueryRecognitionsAsync(caller, "x.status in ('Active', 'Cultivating')", _ => { }, cancellationToken);

    /// <summary>
    /// Saves a recognition's step: its new state, the factory's other recognitions it ends (superseded, or removed with
    /// it), and for a command from another service its request id, so that a second delivery finds it applied.
    /// </summary>
    public async Task SaveRecognitionAsync(CallerScope caller, string kind, Recognition before, Recognition after,
        IReadOnlyList<(string Kind, Recognition Before, Recognition After)>? alongside, string? requestId, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var now = DateTime.UtcNow;
            if (requestId is not null)
            {
                var first = await connection.ExecuteAsync(new CommandDefinition("""
                    insert into processed_commands (request_id, command, entity_id, at) values (@requestId, @kind, @Id, @now) on conflict do nothing
                    """, new { requestId, kind, after.Id, now }, transaction, cancellationToken: cancellationToken));
                if (first == 0) throw new ConcurrencyException($"request {requestId} was applied meanwhile");
            }
            foreach (var other in alongside ?? []) await UpdateRecognitionAsync(connection, transaction, caller, other.Kind, other.Before, other.After, now, cancellationToken);
            await UpdateRecognitionAsync(connection, transaction, caller, kind, before, after, now, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>What processed_commands records for a withdrawal, beside the kinds of other commands (recognition.took_effect).</summary>
    public const string WithdrawalCommand = "recognition.withdrawn_after_publicity";

    /// <summary>
    /// Saves a recognition withdrawn after publicity together with its application, rejected: both or neither, with
    /// the command's request id so that a second delivery finds it applied.
    /// </summary>
    public async Task SaveWithdrawalAsync(CallerScope caller, Recognition before, Recognition after, Application applicationBefore,
        Application applicationAfter, string requestId, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var now = DateTime.UtcNow;
            var first = await connection.ExecuteAsync(new CommandDefinition("""
                insert into processed_commands (request_id, command, entity_id, at) values (@requestId, @command, @Id, @now) on conflict do nothing
                """, new { requestId, command = WithdrawalCommand, after.Id, now }, transaction, cancellationToken: cancellationToken));
            if (first == 0) throw new ConcurrencyException($"request {requestId} was applied meanwhile");
            // The feed names the change as every other ending does: the recognition's new state.
            await UpdateRecognitionAsync(connection, transaction, caller, "recognition." + after.History[^1].Kind, before, after, now, cancellationToken);
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update applications set status = @Status, history = @History::jsonb, version = @Version, updated_at = @UpdatedAt
                where id = @Id and version = @PreviousVersion
                """, ApplicationRow.Parameters(applicationAfter, applicationBefore.Version), transaction, cancellationToken: cancellationToken));
            if (updated == 0) throw new ConcurrencyException($"application {applicationAfter.Id} changed meanwhile; read it again");
            await changes.RecordAsync(transaction, caller, "application.rejected_after_publicity", "application", applicationAfter.Id, applicationBefore,
                applicationAfter, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>The command a request id was used for and the recognition it was applied to, if it was.</summary>
    public async Task<(Guid EntityId, string Command)?> ProcessedCommandAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ProcessedCommandRow>(new CommandDefinition(
            "select entity_id as EntityId, command from processed_commands where request_id = @requestId", new { requestId }, cancellationToken: cancellationToken));
        return row is null ? null : (row.EntityId, row.Command);
    }

    /// <summary>The factory's recognitions that have not ended: pending publicity, cultivating or active.</summary>
    public async Task<IReadOnlyList<Recognition>> LiveRecognitionsOfFactoryAsync(Guid factoryId, CancellationToken cancellationToken) =>
        [.. (await QueryRecognitionsAsync(null, "x.factory_id = @factory and x.status in ('PendingPublicity', 'Cultivating', 'Active')",
            p => p.Add("factory", factoryId), cancellationToken)).Select(r => r.Item)];

    /// <summary>The end of a removal ban on the enterprise still running on <paramref name="today"/>, if any.</summary>
    public async Task<DateOnly?> BanUntilAsync(Guid enterpriseId, DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DateOnly?>(new CommandDefinition(
            "select ban_until from recognitions where enterprise_id = @enterpriseId and ban_until > @today order by ban_until desc limit 1",
            new { enterpriseId, today }, cancellationToken: cancellationToken));
    }

    public async Task<Recognition?> ActiveRecognitionOfFactoryAsync(Guid factoryId, CancellationToken cancellationToken) =>
        (await QueryRecognitionsAsync(null, "x.factory_id = @factory and x.status = 'Active'", p => p.Add("factory", factoryId), cancellationToken)).SingleOrDefault()?.Item;

    /// <summary>Recognitions whose clock has run out by <paramref name="today"/>: for the daily job, outside any caller's scope.</summary>
    public async Task<IReadOnlyList<Recognition>> DueRecognitionsAsync(DateOnly today, CancellationToken cancellationToken) =>
        [.. (await QueryRecognitionsAsync(null,
            "((x.status = 'Active' and x.expires_on <= @today) or (x.status = 'Cultivating' and x.cultivation_ends_on <= @today))",
            p => p.Add("today", today), cancellationToken)).Select(r => r.Item)];

    // ----- feed

    public async Task<(IReadOnlyList<FeedChange> Changes, long Last)> ListChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedChange>(new CommandDefinition("""
            select sequence, entity_type as EntityType, entity_id as EntityId, kind, payload::text as Payload, at
            from changes where sequence > @afterSequence order by sequence limit @limit
            """, new { afterSequence, limit }, cancellationToken: cancellationToken));
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select coalesce(max(sequence), 0) from changes",
            cancellationToken: cancellationToken));
        return ([.. rows], last);
    }

    private async Task<IReadOnlyList<Named<Recognition>>> QueryRecognitionsAsync(CallerScope? caller, string condition, Action<DynamicParameters> add,
        CancellationToken cancellationToken)
    {
        var parameters = caller is null ? new DynamicParameters() : ScopeSql.Parameters(caller);
        add(parameters);
        var scope = caller is null ? "true" : ScopeSql.Factories(caller);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecognitionRow>(new CommandDefinition(
            $"select {RecognitionRow.Columns} from recognitions x {Joins} where {condition} and {scope} order by x.updated_at desc, x.id", parameters,
                cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToNamed())];
    }

    /// <summary>An application's step, version-checked, with its audit row and feed entry; other stores call it inside their transaction.</summary>
    internal async Task UpdateApplicationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CallerScope caller, string kind,
        Application before, Application after, CancellationToken cancellationToken)
    {
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            update applications set status = @Status, form = @Form::jsonb, warnings = @Warnings::jsonb, history = @History::jsonb,
                recommended_by = @RecommendedBy, recognition_id = @RecognitionId, version = @Version, updated_at = @UpdatedAt,
                verifications = @Verifications::jsonb
            where id = @Id and version = @PreviousVersion
            """, ApplicationRow.Parameters(after, before.Version), transaction, cancellationToken: cancellationToken));
        if (updated == 0) throw new ConcurrencyException($"application {after.Id} changed meanwhile; read it again");
        await changes.RecordAsync(transaction, caller, kind, "application", after.Id, before, after, cancellationToken);
    }

    private async Task UpdateRecognitionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CallerScope caller, string kind,
        Recognition before, Recognition after, DateTime now, CancellationToken cancellationToken)
    {
        var parameters = RecognitionRow.Parameters(after, now);
        parameters.Add("PreviousVersion", before.Version);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            update recognitions set status = @Status, effective_on = @EffectiveOn, expires_on = @ExpiresOn, cultivation_ends_on = @CultivationEndsOn,
                renewal = @Renewal, acceptance = @Acceptance, ended_on = @EndedOn, end_reason = @EndReason, ban_until = @BanUntil,
                history = @History::jsonb, version = @Version, updated_at = @UpdatedAt, national_decision = @NationalDecision,
                plaque_awarded_on = @PlaqueAwardedOn
            where id = @Id and version = @PreviousVersion
            """, parameters, transaction, cancellationToken: cancellationToken));
        if (updated == 0) throw new ConcurrencyException($"recognition {after.Id} changed meanwhile; read it again");
        await changes.RecordAsync(transaction, caller, kind, "recognition", after.Id, before, after, cancellationToken);
    }

    private sealed record ProcessedCommandRow(Guid EntityId, string Command);

    private sealed record CampaignRow(Guid Id, string Level, int Year, DateOnly SubmissionOpensOn, DateOnly SubmissionClosesOn, DateOnly DecisionDueOn,
        string Quotas, DateTime CreatedAt, string RegionCode, string CatalogEdition, string Status, DateOnly? ExtendedTo, string ExtensionReason,
        DateOnly? ClosedOn, long Version)
    {
        public const string Columns = """
            id, level, year, submission_opens_on as SubmissionOpensOn, submission_closes_on as SubmissionClosesOn,
            decision_due_on as DecisionDueOn, quotas::text as Quotas, created_at as CreatedAt, region_code as RegionCode,
            catalog_edition as CatalogEdition, status, extended_to as ExtendedTo, extension_reason as ExtensionReason, closed_on as ClosedOn, version
            """;

        public const string InsertColumns = """
            id, level, year, submission_opens_on, submission_closes_on, decision_due_on, quotas, created_at, region_code, catalog_edition, status,
            extended_to, extension_reason, closed_on, version
            """;

        public const string InsertValues = """
            @Id, @Level, @Year, @SubmissionOpensOn, @SubmissionClosesOn, @DecisionDueOn, @Quotas::jsonb, @CreatedAt, @RegionCode, @CatalogEdition, @Status,
            @ExtendedTo, @ExtensionReason, @ClosedOn, @Version
            """;

        public Campaign ToDomain() => new(Id, Enum.Parse<Level>(Level), Year, RegionCode, CatalogEdition, SubmissionOpensOn, SubmissionClosesOn, DecisionDueOn,
            JsonSerializer.Deserialize<Dictionary<string, int>>(Quotas, Json)!, Enum.Parse<CampaignStatus>(Status), ExtendedTo, ExtensionReason, ClosedOn,
            Version, CreatedAt);

        public static DynamicParameters Parameters(Campaign c) => new(new
        {
            c.Id, Level = c.Level.ToString(), c.Year, c.SubmissionOpensOn, c.SubmissionClosesOn, c.DecisionDueOn,
            Quotas = JsonSerializer.Serialize(c.Quotas, Json), c.CreatedAt, c.RegionCode, c.CatalogEdition, Status = c.Status.ToString(),
            c.ExtendedTo, c.ExtensionReason, c.ClosedOn, c.Version,
        });
    }

    private sealed record DecisionRow(Guid Id, string Level, Guid CampaignId, string DocumentNumber, DateOnly DecidedOn, string ListName, string ApplicationIds,
        DateOnly? CultivationEndsOn, string Source, string RecordedBy, DateTime RecordedAt, string Recognitions);

    private sealed record ApplicationRow(Guid Id, Guid CampaignId, Guid FactoryId, Guid EnterpriseId, string Level, string Status, string Form,
        string Warnings, string History, string? RecommendedBy, Guid? RecognitionId, long Version, DateTime CreatedAt, DateTime UpdatedAt,
        string FactoryName, string EnterpriseName, string RegionCode, string IndustryCode, string Verifications, DateOnly CompleteBy)
    {
        public const string Columns = """
            x.id, x.campaign_id as CampaignId, x.factory_id as FactoryId, x.enterprise_id as EnterpriseId, x.level, x.status, x.form::text as Form,
            x.warnings::text as Warnings, x.history::text as History, x.recommended_by as RecommendedBy, x.recognition_id as RecognitionId,
            x.version, x.created_at as CreatedAt, x.updated_at as UpdatedAt, f.name as FactoryName, e.name as EnterpriseName,
            f.region_code as RegionCode, f.industry_code as IndustryCode, x.verifications::text as Verifications,
            coalesce(c.extended_to, c.decision_due_on) as CompleteBy
            """;

        public Named<Application> ToNamed()
        {
            var form = JsonSerializer.Deserialize<ApplicationForm>(Form, Json)!;
            // Forms saved before the basic-requirements checklist existed have no declarations.
            form = form with { Declarations = form.Declarations ?? [] };
            return new(new Application(Id, CampaignId, FactoryId, EnterpriseId, Enum.Parse<Level>(Level),
                Enum.Parse<ApplicationStatus>(Status), form,
                JsonSerializer.Deserialize<List<string>>(Warnings, Json)!, JsonSerializer.Deserialize<List<ReviewEntry>>(History, Json)!,
                RecommendedBy, RecognitionId, Version, CreatedAt, UpdatedAt, JsonSerializer.Deserialize<List<Verification>>(Verifications, Json)!),
                FactoryName, EnterpriseName, RegionCode, IndustryCode, CompleteBy);
        }

        public static DynamicParameters Parameters(Application a, long? previousVersion = null)
        {
            var parameters = new DynamicParameters(new
            {
                a.Id, a.CampaignId, a.FactoryId, a.EnterpriseId, Level = a.Level.ToString(), Status = a.Status.ToString(),
                Form = JsonSerializer.Serialize(a.Form, Json), Warnings = JsonSerializer.Serialize(a.Warnings, Json),
                History = JsonSerializer.Serialize(a.History, Json), a.RecommendedBy, a.RecognitionId, a.Version, a.CreatedAt, a.UpdatedAt,
                Verifications = JsonSerializer.Serialize(a.Verifications, Json),
            });
            parameters.Add("PreviousVersion", previousVersion);
            return parameters;
        }
    }

    private sealed record RecognitionRow(Guid Id, Guid FactoryId, Guid EnterpriseId, string Level, int Year, Guid ApplicationId, string Status,
        DateOnly? EffectiveOn, DateOnly? ExpiresOn, DateOnly? CultivationEndsOn, string Renewal, string Acceptance, DateOnly? EndedOn,
        string? EndReason, DateOnly? BanUntil, string History, long Version, string? NationalDecision, DateOnly? PlaqueAwardedOn,
        string FactoryName, string EnterpriseName, string RegionCode, string IndustryCode)
    {
        public const string Columns = """
            x.id, x.factory_id as FactoryId, x.enterprise_id as EnterpriseId, x.level, x.year, x.application_id as ApplicationId, x.status,
            x.effective_on as EffectiveOn, x.expires_on as ExpiresOn, x.cultivation_ends_on as CultivationEndsOn, x.renewal, x.acceptance,
            x.ended_on as EndedOn, x.end_reason as EndReason, x.ban_until as BanUntil, x.history::text as History, x.version,
            x.national_decision as NationalDecision, x.plaque_awarded_on as PlaqueAwardedOn, f.name as FactoryName, e.name as EnterpriseName, f.region_code as RegionCode, f.industry_code as IndustryCode
            """;

        public const string InsertColumns = """
            id, factory_id, enterprise_id, level, year, application_id, status, effective_on, expires_on, cultivation_ends_on, renewal,
            acceptance, ended_on, end_reason, ban_until, history, version, updated_at, national_decision, plaque_awarded_on
            """;

        public const string InsertValues = """
            @Id, @FactoryId, @EnterpriseId, @Level, @Year, @ApplicationId, @Status, @EffectiveOn, @ExpiresOn, @CultivationEndsOn, @Renewal,
            @Acceptance, @EndedOn, @EndReason, @BanUntil, @History::jsonb, @Version, @UpdatedAt, @NationalDecision, @PlaqueAwardedOn
            """;

        public Named<Recognition> ToNamed() => new(new Recognition(Id, FactoryId, EnterpriseId, Enum.Parse<Level>(Level), Year, ApplicationId,
            Enum.Parse<RecognitionStatus>(Status), EffectiveOn, ExpiresOn, CultivationEndsOn,
            SnakeCase.ParseStep<RenewalStep>(Renewal), SnakeCase.ParseStep<AcceptanceStep>(Acceptance), EndedOn, EndReason, BanUntil,
            JsonSerializer.Deserialize<List<RecognitionEvent>>(History, Json)!, Version, NationalDecision, PlaqueAwardedOn), FactoryName, EnterpriseName, RegionCode, IndustryCode);

        public static DynamicParameters Parameters(Recognition r, DateTime now) => new(new
        {
            r.Id, r.FactoryId, r.EnterpriseId, Level = r.Level.ToString(), r.Year, r.ApplicationId, Status = r.Status.ToString(),
            r.EffectiveOn, r.ExpiresOn, r.CultivationEndsOn, Renewal = SnakeCase.StepName(r.Renewal), Acceptance = SnakeCase.StepName(r.Acceptance), r.EndedOn, r.EndReason, r.BanUntil,
            History = JsonSerializer.Serialize(r.History, Json), r.Version, UpdatedAt = now, r.NationalDecision, r.PlaqueAwardedOn,
        });
    }

    // ----- for the oversight store (recommendation lists, spot checks): reads in scope, and writes inside its transactions

    /// <summary>The applications among <paramref name="ids"/> that the caller sees.</summary>
    public async Task<IReadOnlyList<Named<Application>>> ApplicationsAsync(CallerScope caller, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        var parameters = ScopeSql.Parameters(caller);
        parameters.Add("ids", ids.ToArray());
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApplicationRow>(new CommandDefinition(
            $"select {ApplicationRow.Columns} from applications x {ApplicationJoins} where x.id = any(@ids) and {ScopeSql.Factories(caller)}", parameters,
                cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToNamed())];
    }

    /// <summary>The recognitions among <paramref name="ids"/> that the caller sees.</summary>
    public Task<IReadOnlyList<Named<Recognition>>> RecognitionsAsync(CallerScope caller, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        QueryRecognitionsAsync(caller, "x.id = any(@ids)", p => p.Add("ids", ids.ToArray()), cancellationToken);

    /// <summary>The caller's live recognitions (pending publicity, cultivating, active) of these levels: a spot-check draw's candidates.</summary>
    public Task<IReadOnlyList<Named<Recognition>>> LiveRecognitionsOfLevelsAsync(CallerScope caller, IReadOnlyCollection<Level> levels,
        CancellationToken cancellationToken) =>
        QueryRecognitionsAsync(caller, "x.status in ('PendingPublicity', 'Cultivating', 'Active') and x.level = any(@levels)",
            p => p.Add("levels", levels.Select(l => l.ToString()).ToArray()), cancellationToken);

    /// <summary>A recognition's step inside another store's transaction (a spot check's removal).</summary>
    internal Task UpdateRecognitionInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CallerScope caller, string kind,
        Recognition before, Recognition after, CancellationToken cancellationToken) =>
        UpdateRecognitionAsync(connection, transaction, caller, kind, before, after, DateTime.UtcNow, cancellationToken);

    /// <summary>Spot checks in the caller's scope awaiting their rectification's follow-up by <paramref name="horizon"/>: for the list of clocks.</summary>
    public async Task<IReadOnlyList<(Guid RecognitionId, string FactoryName, string RegionCode, Level Level, DateOnly DueOn)>> RectificationsDueAsync(
        CallerScope caller, DateOnly horizon, CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        parameters.Add("horizon", horizon);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RectificationRow>(new CommandDefinition($"""
            select x.recognition_id as RecognitionId, f.name as FactoryName, f.region_code as RegionCode, x.level, x.rectification_due_on as DueOn
            from spot_checks x {Joins}
            where x.status = 'Rectifying' and x.rectification_due_on <= @horizon and {ScopeSql.Factories(caller)}
            """, parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => (r.RecognitionId, r.FactoryName, r.RegionCode, Enum.Parse<Level>(r.Level), r.DueOn))];
    }

    private sealed record RectificationRow(Guid RecognitionId, string FactoryName, string RegionCode, string Level, DateOnly DueOn);
}
