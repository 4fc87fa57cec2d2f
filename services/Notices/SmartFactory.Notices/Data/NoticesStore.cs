using System.Text.Json;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.Notices.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Notices.Data;

/// <summary>What the registry is told of a closed notice's item: it takes effect, or it is withdrawn after publicity.</summary>
public enum CommandKind { TakeEffect, Withdraw }

/// <summary>
/// One registry command as the close writes it, the outbox keeps it (kind in its column, the rest as JSON) and the
/// relay sends it. The request id makes a second delivery harmless.
/// </summary>
public sealed record RegistryCommand(CommandKind Kind, Guid ApplicationId, string RequestId, DateOnly? EffectiveOn = null, string? Reason = null);

/// <summary>A command for the registry, waiting in the outbox.</summary>
public sealed record OutboxMessage(Guid Id, RegistryCommand Command, int Attempts);

/// <summary>What a close writes beside the notice itself: the closed notice, its commands to the registry and its filing.</summary>
public sealed record CloseDecision(Notice After, IReadOnlyList<RegistryCommand> Commands, Filing? Filing);

/// <summary>An objection of a notice as the close counts it.</summary>
public sealed record ObjectionState(Guid ItemId, ObjectionStatus Status);

public sealed record Filing(Guid Id, Guid NoticeId, string NoticeTitle, int Level, string FromRegion, string ToRegion, int ItemsTookEffect,
    int ItemsRejected, DateTime FiledAt);

/// <summary>
/// The notices' SQL. Each command is one transaction with its audit row; the close writes the notice, its outcomes,
/// the filing and the registry commands (outbox) together, so none is lost if the process dies after it.
/// </summary>
public sealed class NoticesStore(NpgsqlDataSource dataSource, AuditWriter audit)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Objections' evidence, in the shared store's shape (0001_notices.sql), owned by the objection.</summary>
    private static readonly EvidenceTable Evidence = new("evidence", "objection_id");

    private const string NoticeColumns = """
        id, title, level, authority_role as AuthorityRole, authority_region as AuthorityRegion, status, starts_on as StartsOn,
        length_working_days as LengthWorkingDays, ends_on as EndsOn, published_at as PublishedAt, closed_at as ClosedAt, version,
        created_at as CreatedAt, end_stated_by_publisher as EndStatedByPublisher
        """;

    public async Task InsertNoticeAsync(CallerScope caller, Notice notice, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into notices (id, title, level, authority_role, authority_region, status, starts_on, length_working_days, ends_on, version, created_at,
                    end_stated_by_publisher)
                values (@Id, @Title, @Level, @AuthorityRole, @AuthorityRegion, @Status, @StartsOn, @LengthWorkingDays, @EndsOn, @Version, @CreatedAt,
                    @EndStatedByPublisher)
                """, new
            {
                notice.Id, notice.Title, Level = (int)notice.Level, AuthorityRole = notice.AuthorityRole.ToString(), notice.AuthorityRegion,
                Status = notice.Status.ToString(), notice.StartsOn, notice.LengthWorkingDays, notice.EndsOn, notice.Version, notice.CreatedAt,
                notice.EndStatedByPublisher,
            }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into notice_items (id, notice_id, position, application_id, enterprise_name, factory_name, region_code, industry_code, level)
                values (@Id, @NoticeId, @Position, @ApplicationId, @EnterpriseName, @FactoryName, @RegionCode, @IndustryCode, @Level)
                """, notice.Items.Select(i => new
            {
                i.Id, NoticeId = notice.Id, i.Position, i.ApplicationId, i.EnterpriseName, i.FactoryName, i.RegionCode, i.IndustryCode, Level = (int)i.Level,
            }), transaction, cancellationToken: cancellationToken));
            await audit.WriteAsync(transaction, caller, "notice.drafted", "notice", notice.Id.ToString(), null, notice, cancellationToken);
        }, cancellationToken);
    }

    public async Task<Notice?> GetNoticeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<NoticeRow>(new CommandDefinition($"select {NoticeColumns} from notices where id = @id", new { id },
            cancellationToken: cancellationToken));
        return row is null ? null : row.ToDomain(await ItemsAsync(connection, [id], cancellationToken));
    }

    /// <summary>Published and closed notices, newest first; with an authority, its drafts too.</summary>
    public async Task<(IReadOnlyList<Notice> Items, int Total)> ListNoticesAsync(CallerScope? draftsOf, int offset, int limit, CancellationToken cancellationToken)
    {
        var condition = draftsOf is null
            ? "status <> 'Draft'"
            : "(status <> 'Draft' or (authority_role = @role and authority_region = @region))";
        var parameters = new { role = draftsOf?.Role.ToString(), region = draftsOf?.Region, offset, limit };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"select count(*) from notices where {condition}", parameters,
            cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<NoticeRow>(new CommandDefinition(
            $"select {NoticeColumns} from notices where {condition} order by coalesce(published_at, created_at) desc, id offset @offset limit @limit",
            parameters, cancellationToken: cancellationToken))).ToList();
        var items = await ItemsAsync(connection, [.. rows.Select(r => r.Id)], cancellationToken);
        return ([.. rows.Select(r => r.ToDomain(items))], total);
    }

    /// <summary>
    /// Applications listed by a published notice still running: an application is publicized by one notice at a time.
    /// A draft reserves nothing (it may go stale and never be published); publishing checks again.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ApplicationsInPublishedNoticesAsync(IReadOnlyList<Guid> applicationIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await PublishedElsewhereAsync(connection, null, null, applicationIds, cancellationToken)];
    }

    /// <summary>Publishes the notice unless another published notice lists one of its applications meanwhile.</summary>
    public async Task PublishAsync(CallerScope caller, Notice before, Notice after, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            // Two drafts may list the same application. A lock per application, taken in one order, makes a concurrent
            // publish of the other draft wait for this commit and then see this notice below.
            var applications = after.Items.Select(i => i.ApplicationId).Distinct().Order().ToArray();
            await connection.ExecuteAsync(new CommandDefinition("""
                select pg_advisory_xact_lock(hashtextextended('notices.application:' || id::text, 0))
                from (select id from unnest(@applications) as a(id) order by id) sorted
                """, new { applications }, transaction, cancellationToken: cancellationToken));
            var taken = await PublishedElsewhereAsync(connection, transaction, after.Id, applications, cancellationToken);
            if (taken.Count > 0)
                throw new RuleViolationException([.. taken.Select(id => $"application {id} is already listed by another published notice that has not closed")]);
            await UpdateNoticeAsync(connection, transaction, before, after, cancellationToken);
            await audit.WriteAsync(transaction, caller, "notice.published", "notice", after.Id.ToString(), before, after, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// The close, its outcomes, its filing and its commands to the registry: all or nothing. <paramref name="decide"/>
    /// gets the notice's objections as they stand under the notice's row lock, which an objection being filed holds
    /// for share: each objection is either counted here or refused as late, never filed and ignored.
    /// </summary>
    public Task<Notice> CloseAsync(CallerScope caller, Notice before, Func<IReadOnlyList<ObjectionState>, CloseDecision> decide, DateTime now,
        CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("select 1 from notices where id = @Id for update", new { before.Id }, transaction,
                cancellationToken: cancellationToken));
            var objections = (await connection.QueryAsync<ObjectionState>(new CommandDefinition(
                "select item_id as ItemId, status from objections where notice_id = @Id", new { before.Id }, transaction,
                    cancellationToken: cancellationToken))).ToList();
            var (after, commands, filing) = decide(objections);
            await UpdateNoticeAsync(connection, transaction, before, after, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("update notice_items set outcome = @Outcome where id = @Id",
                after.Items.Select(i => new { i.Id, Outcome = i.Outcome is { } o ? SnakeCase.Name(o) : null }), transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into outbox (id, kind, payload, created_at, next_attempt_at) values (@Id, @Kind, @Payload::jsonb, @now, @now)
                """, commands.Select(c => new { Id = Guid.CreateVersion7(), Kind = SnakeCase.Name(c.Kind), Payload = JsonSerializer.Serialize(c, Json), now }),
                transaction, cancellationToken: cancellationToken));
            if (filing is not null)
                await connection.ExecuteAsync(new CommandDefinition("""
                    insert into filings (id, notice_id, notice_title, level, from_region, to_region, items_took_effect, items_rejected, filed_at)
                    values (@Id, @NoticeId, @NoticeTitle, @Level, @FromRegion, @ToRegion, @ItemsTookEffect, @ItemsRejected, @FiledAt)
                    """, filing, transaction, cancellationToken: cancellationToken));
            await audit.WriteAsync(transaction, caller, "notice.closed", "notice", after.Id.ToString(), before, after, cancellationToken);
            return after;
        }, cancellationToken);

    public async Task<IReadOnlyList<Notice>> NoticesToCloseAsync(DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<NoticeRow>(new CommandDefinition($"select {NoticeColumns} from notices where status = 'Published' and ends_on < @today",
            new { today }, cancellationToken: cancellationToken))).ToList();
        var items = await ItemsAsync(connection, [.. rows.Select(r => r.Id)], cancellationToken);
        return [.. rows.Select(r => r.ToDomain(items))];
    }

    public async Task<IReadOnlyList<Filing>> ListFilingsAsync(string toRegion, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Filing>(new CommandDefinition("""
            select id, notice_id as NoticeId, notice_title as NoticeTitle, level, from_region as FromRegion, to_region as ToRegion,
                items_took_effect as ItemsTookEffect, items_rejected as ItemsRejected, filed_at as FiledAt
            from filings where to_region = @toRegion order by filed_at desc
            """, new { toRegion }, cancellationToken: cancellationToken))];
    }

    // ----- objections

    /// <summary>Receipt numbers drawn again when the random part was drawn before on the same day.</summary>
    private const int ReceiptNumberRetries = 3;

    /// <summary>
    /// Stores an objection with its evidence. With an idempotency key seen before, stores nothing and answers the first
    /// objection's receipt (a double click files one objection). The notice must still take objections on
    /// <paramref name="today"/> when the objection goes in, not only when it was checked: a close in between refuses it.
    /// A receipt number taken already is replaced by <paramref name="newReceiptNumber"/>, up to three times.
    /// </summary>
    public async Task<Objection> InsertObjectionAsync(Objection objection, IReadOnlyList<EvidenceUpload> uploads, string? idempotencyKey, DateOnly today,
        Func<string> newReceiptNumber, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await TryInsertObjectionAsync(objection, uploads, idempotencyKey, today, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "objections_receipt_number_key"
                && retry < ReceiptNumberRetries)
            {
                objection = objection with { ReceiptNumber = newReceiptNumber() };
            }
        }
    }

    private async Task<Objection> TryInsertObjectionAsync(Objection objection, IReadOnlyList<EvidenceUpload> uploads, string? idempotencyKey, DateOnly today,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // For share: objections do not wait for each other, but a close (for update) waits for this one to commit and
        // counts it, and this one waits for a close to commit and then sees the notice closed.
        var notice = await connection.QuerySingleAsync<NoticeState>(new CommandDefinition("select status, ends_on as EndsOn from notices where id = @NoticeId for share",
            new { objection.NoticeId }, transaction, cancellationToken: cancellationToken));
        if (notice.Status != nameof(NoticeStatus.Published) || today > notice.EndsOn)
            throw new RuleViolationException([$"the publicity period ended on {notice.EndsOn:yyyy-MM-dd}; objections are no longer accepted"]);
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            insert into objections (id, receipt_number, notice_id, item_id, objector_name, contact_phone, organisation, grounds, status,
                resolution_reason, filed_at, version, idempotency_key)
            values (@Id, @ReceiptNumber, @NoticeId, @ItemId, @ObjectorName, @ContactPhone, @Organisation, @Grounds, @Status,
                @ResolutionReason, @FiledAt, @Version, @IdempotencyKey)
            on conflict (idempotency_key) do nothing
            """, new
        {
            objection.Id, objection.ReceiptNumber, objection.NoticeId, objection.ItemId, objection.ObjectorName, objection.ContactPhone,
            objection.Organisation, objection.Grounds, Status = SnakeCase.Name(objection.Status), objection.ResolutionReason, objection.FiledAt, objection.Version,
            IdempotencyKey = idempotencyKey,
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            var first = await connection.QuerySingleAsync<Guid>(new CommandDefinition("select id from objections where idempotency_key = @idempotencyKey", new { idempotencyKey }, transaction,
                cancellationToken: cancellationToken));
            await transaction.RollbackAsync(cancellationToken);
            return (await GetObjectionAsync(first, cancellationToken))!;
        }
        await Evidence.InsertAsync(transaction, objection.Id, objection.Evidence.Select((e, i) => (e, uploads[i].Content)), cancellationToken);
        // The audit names the objector: it is read by officials only, like the objection itself.
        await audit.WriteAsync(transaction, "public", objection.ObjectorName, "public", "", "objection.filed", "objection", objection.Id.ToString(), null,
            objection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return objection;
    }

    public async Task<Objection?> GetObjectionByKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        (await ObjectionsAsync("o.idempotency_key = @idempotencyKey", new { idempotencyKey }, cancellationToken)).SingleOrDefault();

    public async Task<Objection?> GetObjectionAsync(Guid id, CancellationToken cancellationToken) =>
        (await ObjectionsAsync("o.id = @id", new { id }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Objection>> ListObjectionsAsync(Guid noticeId, CancellationToken cancellationToken) =>
        ObjectionsAsync("o.notice_id = @noticeId", new { noticeId }, cancellationToken);

    public async Task UpdateObjectionAsync(CallerScope caller, Objection before, Objection after, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update objections set status = @Status, resolution_reason = @ResolutionReason, resolved_at = @ResolvedAt, version = @Version
                where id = @Id and version = @Version - 1
                """, new { after.Id, Status = SnakeCase.Name(after.Status), after.ResolutionReason, after.ResolvedAt, after.Version }, transaction,
                    cancellationToken: cancellationToken));
            if (updated == 0) throw new ConcurrencyException($"objection {after.Id} changed meanwhile; read it again");
            await audit.WriteAsync(transaction, caller, "objection." + SnakeCase.Name(after.Status), "objection", after.Id.ToString(), before, after, cancellationToken);
        }, cancellationToken);
    }

    public async Task<(EvidenceFile Info, byte[] Content)?> GetEvidenceAsync(Guid objectionId, Guid evidenceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Evidence.ReadAsync(connection, objectionId, evidenceId, cancellationToken);
    }

    // ----- outbox

    /// <summary>
    /// Hands each due command to <paramref name="deliver"/>, one at a time, under a row lock that other replicas skip.
    /// Delivered commands are marked; failed ones wait longer each time, and a permanent refusal is kept as failed.
    /// </summary>
    public async Task<int> DeliverDueAsync(Func<OutboxMessage, Task<(bool Delivered, bool Permanent, string? Error)>> deliver, DateTime now, int batch,
        CancellationToken cancellationToken)
    {
        var delivered = 0;
        for (var i = 0; i < batch; i++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, string Kind, string Payload, int Attempts)>(new CommandDefinition("""
                select id, kind, payload::text as Payload, attempts from outbox
                where delivered_at is null and failed_at is null and next_attempt_at <= @now
                order by created_at, id limit 1 for update skip locked
                """, new { now }, transaction, cancellationToken: cancellationToken));
            if (row.Payload is null) break;
            // The kind column says what the command is, whatever the payload of an older row carries.
            var command = JsonSerializer.Deserialize<RegistryCommand>(row.Payload, Json)! with { Kind = SnakeCase.Parse<CommandKind>(row.Kind) };
            var message = new OutboxMessage(row.Id, command, row.Attempts);
            var (ok, permanent, error) = await deliver(message);
            var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, message.Attempts)));
            await connection.ExecuteAsync(new CommandDefinition("""
                update outbox set attempts = attempts + 1, last_error = @error,
                    delivered_at = case when @ok then @now end,
                    failed_at = case when @permanent then @now end,
                    next_attempt_at = @next
                where id = @Id
                """, new { message.Id, ok, permanent, error, now, next = now + backoff }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            if (ok) delivered++;
        }
        return delivered;
    }

    /// <summary>
    /// What became of each registry command, by request id: "pending" until the registry acknowledges it, then
    /// "delivered", or "failed: …" with the registry's refusal when it refused for good.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> DeliveriesAsync(IReadOnlyList<string> requestIds, CancellationToken cancellationToken)
    {
        if (requestIds.Count == 0) return new Dictionary<string, string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string RequestId, bool Delivered, bool Failed, string? LastError)>(new CommandDefinition("""
            select payload->>'requestId', delivered_at is not null, failed_at is not null, last_error
            from outbox where payload->>'requestId' = any(@requestIds) order by created_at
            """, new { requestIds = requestIds.ToArray() }, cancellationToken: cancellationToken));
        var deliveries = new Dictionary<string, string>();
        foreach (var row in rows)
            deliveries[row.RequestId] = row.Delivered ? "delivered" : row.Failed ? $"failed: {row.LastError}" : "pending";
        return deliveries;
    }

    private static async Task<IReadOnlyList<Guid>> PublishedElsewhereAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid? notice,
        IReadOnlyList<Guid> applicationIds, CancellationToken cancellationToken) =>
        [.. await connection.QueryAsync<Guid>(new CommandDefinition("""
            select distinct i.application_id from notice_items i join notices n on n.id = i.notice_id
            where n.status = 'Published' and n.id is distinct from @notice and i.application_id = any(@applicationIds)
            order by i.application_id
            """, new { notice, applicationIds = applicationIds.ToArray() }, transaction, cancellationToken: cancellationToken))];

    private async Task<IReadOnlyList<Objection>> ObjectionsAsync(string condition, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ObjectionRow>(new CommandDefinition($"""
            select o.id, o.receipt_number as ReceiptNumber, o.notice_id as NoticeId, o.item_id as ItemId, o.objector_name as ObjectorName,
                o.contact_phone as ContactPhone, o.organisation, o.grounds, o.status, o.resolution_reason as ResolutionReason,
                o.filed_at as FiledAt, o.resolved_at as ResolvedAt, o.version
            from objections o where {condition} order by o.filed_at, o.id
            """, parameters, cancellationToken: cancellationToken))).ToList();
        var evidence = await Evidence.ListAsync(connection, [.. rows.Select(r => r.Id)], cancellationToken);
        return [.. rows.Select(r => new Objection(r.Id, r.ReceiptNumber, r.NoticeId, r.ItemId, r.ObjectorName, r.ContactPhone, r.Organisation,
            r.Grounds, [.. evidence[r.Id]], SnakeCase.Parse<ObjectionStatus>(r.Status),
            r.ResolutionReason, r.FiledAt, r.ResolvedAt, r.Version))];
    }

    private static async Task UpdateNoticeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Notice before, Notice after,
        CancellationToken cancellationToken)
    {
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            update notices set status = @Status, published_at = @PublishedAt, closed_at = @ClosedAt, version = @Version
            where id = @Id and version = @PreviousVersion
            """, new { after.Id, Status = after.Status.ToString(), after.PublishedAt, after.ClosedAt, after.Version, PreviousVersion = before.Version },
            transaction, cancellationToken: cancellationToken));
        if (updated == 0) throw new ConcurrencyException($"notice {after.Id} changed meanwhile; read it again");
    }

    private static async Task<ILookup<Guid, NoticeItem>> ItemsAsync(NpgsqlConnection connection, Guid[] noticeIds, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ItemRow>(new CommandDefinition("""
            select notice_id as NoticeId, id, position, application_id as ApplicationId, enterprise_name as EnterpriseName,
                factory_name as FactoryName, region_code as RegionCode, industry_code as IndustryCode, level, outcome
            from notice_items where notice_id = any(@noticeIds) order by position
            """, new { noticeIds }, cancellationToken: cancellationToken))).ToLookup(i => i.NoticeId, i => i.ToDomain());

    private sealed record NoticeRow(Guid Id, string Title, int Level, string AuthorityRole, string AuthorityRegion, string Status, DateOnly StartsOn,
        int LengthWorkingDays, DateOnly EndsOn, DateTime? PublishedAt, DateTime? ClosedAt, long Version, DateTime CreatedAt, bool EndStatedByPublisher)
    {
        public Notice ToDomain(ILookup<Guid, NoticeItem> items) => new(Id, Title, (RecognitionLevel)Level, Enum.Parse<Role>(AuthorityRole),
            AuthorityRegion, Enum.Parse<NoticeStatus>(Status), StartsOn, LengthWorkingDays, EndsOn, [.. items[Id]], PublishedAt, ClosedAt, Version, CreatedAt,
            EndStatedByPublisher);
    }

    private sealed record ItemRow(Guid NoticeId, Guid Id, int Position, Guid ApplicationId, string EnterpriseName, string FactoryName,
        string RegionCode, string IndustryCode, int Level, string? Outcome)
    {
        public NoticeItem ToDomain() => new(Id, Position, ApplicationId, EnterpriseName, FactoryName, RegionCode, IndustryCode, (RecognitionLevel)Level,
            Outcome is null ? null : SnakeCase.Parse<ItemOutcome>(Outcome));
    }

    private sealed record NoticeState(string Status, DateOnly EndsOn);

    private sealed record ObjectionRow(Guid Id, string ReceiptNumber, Guid NoticeId, Guid ItemId, string ObjectorName, string ContactPhone,
        string Organisation, string Grounds, string Status, string ResolutionReason, DateTime FiledAt, DateTime? ResolvedAt, long Version);
}
