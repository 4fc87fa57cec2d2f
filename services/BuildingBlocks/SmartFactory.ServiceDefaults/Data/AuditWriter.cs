using System.Text.Json;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.ServiceDefaults.Data;

/// <summary>Writes the audit row of a state change inside the change's own transaction: no change without its row.</summary>
public sealed class AuditWriter(TimeProvider time)
{
    // States as their snake_case names, as everywhere outside the code.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public Task WriteAsync(NpgsqlTransaction transaction, CallerScope caller, string action, string entityType,
        string entityId, object? before, object? after, CancellationToken cancellationToken) =>
        WriteAsync(transaction, caller.Subject, caller.Name, caller.Role.ToString().ToLowerInvariant(), caller.CreditCode ?? caller.Region,
            action, entityType, entityId, before, after, cancellationToken);

    /// <summary>For actors without a token: the public filing an objection or a report.</summary>
    public Task WriteAsync(NpgsqlTransaction transaction, string actor, string actorName, string actorRole, string actorScope, string action,
        string entityType, string entityId, object? before, object? after, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition("""
            insert into audit_log (at, actor, actor_name, actor_role, actor_scope, action, entity_type, entity_id, before, after)
            values (@At, @Actor, @ActorName, @ActorRole, @ActorScope, @Action, @EntityType, @EntityId, @Before::jsonb, @After::jsonb)
            """,
            new
            {
                At = time.GetUtcNow().UtcDateTime,
                Actor = actor,
                ActorName = actorName,
                ActorRole = actorRole,
                ActorScope = actorScope,
                Action = action,
                EntityType = entityType,
                EntityId = entityId,
                Before = before is null ? null : JsonSerializer.Serialize(before, Json),
                After = after is null ? null : JsonSerializer.Serialize(after, Json),
            },
            transaction, cancellationToken: cancellationToken));
}
