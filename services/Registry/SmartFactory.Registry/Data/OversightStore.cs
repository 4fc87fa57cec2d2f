using System.Text.Json;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Registry.Data;

/// <summary>A spot check with the names a reader needs beside it.</summary>
public sealed record SpotCheckView(SpotCheck Check, Guid EnterpriseId, string FactoryName, string EnterpriseName, string RegionCode);

/// <summary>
/// SQL for recommendation lists and spot checks. Reads take the caller's scope into the WHERE clause (a list by its
/// recommender and the recognizer of its level, a round by its authority, a check through its factory); each command is
/// one transaction with its audit rows and feed entries, the applications and recognitions it changes included.
/// </summary>
public sealed class OversightStore(NpgsqlDataSource dataSource, ChangeRecorder changes, LifecycleStore lifecycle)
{
    private static readonly JsonSerializerOptions Json = ChangeRecorder.Json;

    // ----- recommendation lists

    public async Task InsertListAsync(CallerScope caller, RecommendationList list, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteUniqueAsync(new CommandDefinition("""
                insert into recommendation_lists (id, campaign_id, level, year, recommender_region, status, quota, entries, version, created_at, updated_at,
                    submitted_at, submitted_by)
                values (@Id, @CampaignId, @Level, @Year, @RecommenderRegion, @Status, @Quota, @Entries::jsonb, @Version, @CreatedAt, @UpdatedAt,
                    @SubmittedAt, @SubmittedBy)
                """, ListRow.Parameters(list), transaction, cancellationToken: cancellationToken),
                () => new AlreadyExistsException($"{list.RecommenderRegion} has a recommendation list in this campaign already; edit that one"));
            await changes.RecordAsync(transaction, caller, "recommendation_list.created", "recommendation_list", list.Id, null, list, cancellationToken);
        }, cancellationToken);
    }

    public async Task<RecommendationList?> GetListAsync(CallerScope caller, Guid id, CancellationToken cancellationToken) =>
        (await QueryListsAsync(caller, "id = @id", p => p.Add("id", id), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<RecommendationList>> ListListsAsync(CallerScope caller, Guid? campaignId, CancellationToken cancellationToken) =>
        QueryListsAsync(caller, "(@campaign::uuid is null or campaign_id = @campaign)", p => p.Add("campaign", campaignId), cancellationToken);

    public async Task SaveListAsync(CallerScope caller, string kind, RecommendationList before, RecommendationList after, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
            await UpdateListAsync(connection, transaction, caller, kind, before, after, cancellationToken), cancellationToken);
    }

    /// <summary>The submitted list and every application it recommends, together or not at all.</summary>
    public async Task SubmitListAsync(CallerScope caller, RecommendationList before, RecommendationList after,
        IReadOnlyList<(Application Before, Application After)> applications, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await UpdateListAsync(connection, transaction, caller, "recommendation_list.submitted", before, after, cancellationToken);
            foreach (var (was, recommended) in applications)
                await lifecycle.UpdateApplicationAsync(connection, transaction, caller, "application.recommended", was, recommended, cancellationToken);
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<RecommendationList>> QueryListsAsync(CallerScope caller, string condition, Action<DynamicParameters> add,
        CancellationToken cancellationToken)
    {
        var (region, own, recognized) = RecommendationList.ReadScope(caller);
        var parameters = new DynamicParameters(new
        {
            region, own = own.Select(l => l.ToString()).ToArray(), recognized = recognized.Select(l => l.ToString()).ToArray(),
        });
        add(parameters);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ListRow>(new CommandDefinition($"""
            select {ListRow.Columns} from recommendation_lists
            where {condition}
              and ((recommender_region = @region and level = any(@own)) or (status = 'Submitted' and level = any(@recognized)))
            order by year desc, level, recommender_region
            """, parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDomain())];
    }

    private async Task UpdateListAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CallerScope caller, string kind,
        RecommendationList before, RecommendationList after, CancellationToken cancellationToken)
    {
        var parameters = ListRow.Parameters(after);
        parameters.Add("PreviousVersion", before.Version);
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            update recommendation_lists set status = @Status, entries = @Entries::jsonb, version = @Version, updated_at = @UpdatedAt,
                submitted_at = @SubmittedAt, submitted_by = @SubmittedBy
            where id = @Id and version = @PreviousVersion
            """, parameters, transaction, cancellationToken: cancellationToken));
        if (updated == 0) throw new ConcurrencyException($"recommendation list {after.Id} changed meanwhile; read it again");
        await changes.RecordAsync(transaction, caller, kind, "recommendation_list", after.Id, before, after, cancellationToken);
    }

    // ----- spot checks

    public async Task InsertRoundAsync(CallerScope caller, SpotCheckRound round, IReadOnlyList<SpotCheck> checks, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into spot_check_rounds (id, name, authority_role, levels, selection, per_city, seed, candidate_count, created_by, created_at)
                values (@Id, @Name, @AuthorityRole, @Levels::jsonb, @Selection, @PerCity, @Seed, @CandidateCount, @CreatedBy, @CreatedAt)
                """, new
            {
                round.Id, round.Name, AuthorityRole = round.AuthorityRole.ToString(), Levels = JsonSerializer.Serialize(round.Levels, Json),
                Selection = round.Selection.ToString(), round.PerCity, round.Seed, round.CandidateCount, round.CreatedBy, round.CreatedAt,
            }, transaction, cancellationToken: cancellationToken));
            await changes.RecordAsync(transaction, caller, "spot_check_round.created", "spot_check_round", round.Id, null,
                new { round, Targets = checks.Select(c => c.RecognitionId) }, cancellationToken);
            foreach (var check in checks)
            {
                await connection.ExecuteAsync(new CommandDefinition($"insert into spot_checks ({CheckRow.InsertColumns}) values ({CheckRow.InsertValues})",
                    CheckRow.Parameters(check), transaction, cancellationToken: cancellationToken));
                await changes.RecordAsync(transaction, caller, "spot_check.scheduled", "spot_check", check.Id, null, check, cancellationToken);
            }
        }, cancellationToken);
    }

    /// <summary>A round, for its authority and the ministry (which reads everything); nobody else sees the draw.</summary>
    public async Task<SpotCheckRound?> GetRoundAsync(CallerScope caller, Guid id, CancellationToken cancellationToken) =>
        (await QueryRoundsAsync(caller, "id = @id", p => p.Add("id", id), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<SpotCheckRound>> ListRoundsAsync(CallerScope caller, CancellationToken cancellationToken) =>
        QueryRoundsAsync(caller, "true", _ => { }, cancellationToken);

    public async Task<SpotCheckView?> GetCheckAsync(CallerScope caller, Guid id, CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        parameters.Add("id", id);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CheckRow>(new CommandDefinition(
            $"select {CheckRow.Columns} from spot_checks x {CheckRow.Joins} where x.id = @id and {ScopeSql.Factories(caller)}", parameters,
                cancellationToken: cancellationToken));
        return row?.ToView();
    }

    public async Task<(IReadOnlyList<SpotCheckView> Items, int Total)> ListChecksAsync(CallerScope caller, Guid? roundId, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        var where = new List<string> { ScopeSql.Factories(caller) };
        if (roundId is { } round) { where.Add("x.round_id = @round"); parameters.Add("round", round); }
        var (rows, total) = await PageQuery.RunAsync<CheckRow>(dataSource, CheckRow.Columns, $"spot_checks x {CheckRow.Joins}", where,
            "x.round_id desc, f.region_code, x.id", parameters, offset, limit, cancellationToken);
        return ([.. rows.Select(r => r.ToView())], total);
    }

    /// <summary>
    /// A check's step; with a removal, the recognition removed and the factory's other live recognitions with it, in the
    /// same transaction, so the outcome and the ban are recorded together or not at all.
    /// </summary>
    public async Task SaveCheckAsync(CallerScope caller, string kind, SpotCheck before, SpotCheck after,
        IReadOnlyList<(Recognition Before, Recognition After)> removed, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var parameters = CheckRow.Parameters(after);
            parameters.Add("PreviousVersion", before.Version);
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update spot_checks set status = @Status, findings = @Findings, inspected_on = @InspectedOn, rectification_due_on = @RectificationDueOn,
                    follow_up_findings = @FollowUpFindings, followed_up_on = @FollowedUpOn, removal_cause = @RemovalCause, version = @Version,
                    updated_at = @UpdatedAt
                where id = @Id and version = @PreviousVersion
                """, parameters, transaction, cancellationToken: cancellationToken));
            if (updated == 0) throw new ConcurrencyException($"spot check {after.Id} changed meanwhile; read it again");
            await changes.RecordAsync(transaction, caller, kind, "spot_check", after.Id, before, after, cancellationToken);
            foreach (var (was, ended) in removed)
                await lifecycle.UpdateRecognitionInAsync(connection, transaction, caller, "recognition.removed", was, ended, cancellationToken);
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<SpotCheckRound>> QueryRoundsAsync(CallerScope caller, string condition, Action<DynamicParameters> add,
        CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { role = caller.Role.ToString() });
        add(parameters);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RoundRow>(new CommandDefinition($"""
            select id, name, authority_role as AuthorityRole, levels::text as Levels, selection, per_city as PerCity, seed, candidate_count as CandidateCount,
                created_by as CreatedBy, created_at as CreatedAt
            from spot_check_rounds where {condition} and (authority_role = @role or @role = 'Ministry') order by created_at desc, id
            """, parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToDomain())];
    }

    private sealed record ListRow(Guid Id, Guid CampaignId, string Level, int Year, string RecommenderRegion, string Status, int Quota, string Entries,
        long Version, DateTime CreatedAt, DateTime UpdatedAt, DateTime? SubmittedAt, string? SubmittedBy)
    {
        public const string Columns = """
            id, campaign_id as CampaignId, level, year, recommender_region as RecommenderRegion, status, quota, entries::text as Entries, version,
            created_at as CreatedAt, updated_at as UpdatedAt, submitted_at as SubmittedAt, submitted_by as SubmittedBy
            """;

        public RecommendationList ToDomain() => new(Id, CampaignId, Enum.Parse<Level>(Level), Year, RecommenderRegion,
            Enum.Parse<RecommendationListStatus>(Status), Quota, JsonSerializer.Deserialize<List<RecommendationEntry>>(Entries, Json)!, Version,
            CreatedAt, UpdatedAt, SubmittedAt, SubmittedBy);

        public static DynamicParameters Parameters(RecommendationList l) => new(new
        {
            l.Id, l.CampaignId, Level = l.Level.ToString(), l.Year, l.RecommenderRegion, Status = l.Status.ToString(), l.Quota,
            Entries = JsonSerializer.Serialize(l.Entries, Json), l.Version, l.CreatedAt, l.UpdatedAt, l.SubmittedAt, l.SubmittedBy,
        });
    }

    private sealed record RoundRow(Guid Id, string Name, string AuthorityRole, string Levels, string Selection, int? PerCity, long? Seed,
        int? CandidateCount, string CreatedBy, DateTime CreatedAt)
    {
        public SpotCheckRound ToDomain() => new(Id, Name, Enum.Parse<Role>(AuthorityRole), JsonSerializer.Deserialize<List<Level>>(Levels, Json)!,
            Enum.Parse<SpotCheckSelection>(Selection), PerCity, Seed, CandidateCount, CreatedBy, CreatedAt);
    }

    private sealed record CheckRow(Guid Id, Guid RoundId, Guid RecognitionId, Guid FactoryId, string Level, string Status, string Findings,
        DateOnly? InspectedOn, DateOnly? RectificationDueOn, string FollowUpFindings, DateOnly? FollowedUpOn, string? RemovalCause, long Version,
        DateTime UpdatedAt, Guid EnterpriseId, string FactoryName, string EnterpriseName, string RegionCode)
    {
        public const string Joins = "join factories f on f.id = x.factory_id join enterprises e on e.id = f.enterprise_id";

        public const string Columns = """
            x.id, x.round_id as RoundId, x.recognition_id as RecognitionId, x.factory_id as FactoryId, x.level, x.status, x.findings,
            x.inspected_on as InspectedOn, x.rectification_due_on as RectificationDueOn, x.follow_up_findings as FollowUpFindings,
            x.followed_up_on as FollowedUpOn, x.removal_cause as RemovalCause, x.version, x.updated_at as UpdatedAt, e.id as EnterpriseId,
            f.name as FactoryName, e.name as EnterpriseName, f.region_code as RegionCode
            """;

        public const string InsertColumns = """
            id, round_id, recognition_id, factory_id, level, status, findings, inspected_on, rectification_due_on, follow_up_findings, followed_up_on,
            removal_cause, version, updated_at
            """;

        public const string InsertValues = """
            @Id, @RoundId, @RecognitionId, @FactoryId, @Level, @Status, @Findings, @InspectedOn, @RectificationDueOn, @FollowUpFindings, @FollowedUpOn,
            @RemovalCause, @Version, @UpdatedAt
            """;

        public SpotCheckView ToView() => new(new SpotCheck(Id, RoundId, RecognitionId, FactoryId, Enum.Parse<Level>(Level), Enum.Parse<SpotCheckStatus>(Status),
            Findings, InspectedOn, RectificationDueOn, FollowUpFindings, FollowedUpOn,
            RemovalCause is null ? null : Enum.Parse<Domain.RemovalCause>(RemovalCause), Version, UpdatedAt), EnterpriseId, FactoryName, EnterpriseName, RegionCode);

        public static DynamicParameters Parameters(SpotCheck c) => new(new
        {
            c.Id, c.RoundId, c.RecognitionId, c.FactoryId, Level = c.Level.ToString(), Status = c.Status.ToString(), c.Findings, c.InspectedOn,
            c.RectificationDueOn, c.FollowUpFindings, c.FollowedUpOn, RemovalCause = c.RemovalCause?.ToString(), c.Version, c.UpdatedAt,
        });
    }
}
