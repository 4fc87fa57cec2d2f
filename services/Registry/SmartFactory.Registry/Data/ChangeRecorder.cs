using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Registry.Data;

/// <summary>
/// Every registry change leaves, in the change's own transaction, an audit row (who, before, after) and an entry in the numbered
/// change feed that the catalog and the ministry exchange pull.
/// </summary>
public sealed class ChangeRecorder(AuditWriter audit, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>An audit row alone, for what the feed's readers have no use for (the province's yearly window).</summary>
    public Task AuditAsync(NpgsqlTransaction transaction, CallerScope caller, string kind, string entityType, string id, object? before, object after,
        CancellationToken cancellationToken) => audit.WriteAsync(transaction, caller, kind, entityType, id, before, after, cancellationToken);

    public async Task RecordAsync(NpgsqlTransaction transaction, CallerScope caller, string kind, string entityType, Guid id, object? before, object after,
        CancellationToken cancellationToken)
    {
        await audit.WriteAsync(transaction, caller, kind, entityType, id.ToString(), before, after, cancellationToken);
        // Serializes feed writers until commit, so sequence numbers become visible in order.
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('registry.changes'))", transaction: transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into changes (at, entity_type, entity_id, kind, payload) values (@At, @EntityType, @Id, @Kind, @Payload::jsonb)
            """, new { At = time.GetUtcNow().UtcDateTime, EntityType = entityType, Id = id, Kind = kind, Payload = JsonSerializer.Serialize(after, Json) },
            transaction, cancellationToken: cancellationToken));
    }
}
