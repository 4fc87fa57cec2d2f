using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SmartFactory.ServiceDefaults.Data;

/// <summary>
/// Applies a service's numbered SQL files (embedded as <c>migrations/NNNN_name.sql</c>) in order, each in its own
/// transaction, under an advisory lock so that replicas starting together apply each file once. Applied files are
/// recorded with their SHA-256; a file changed after it was applied stops the service instead of drifting.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, string schema, Assembly assembly, ILogger<Migrator> logger)
{
    public sealed record Migration(int Version, string Name, string Sql, string Checksum);

    public IReadOnlyList<Migration> Migrations { get; } = Load(assembly);

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_lock(hashtext(@key))", new { key = "migrations:" + schema },
            cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition($"""
                create schema if not exists {schema};
                create table if not exists {schema}.schema_migrations (
                    version int primary key,
                    name text not null,
                    checksum text not null,
                    applied_at timestamptz not null default now());
                -- Who did what, when, before and after: append-only, one row per state change.
                create table if not exists {schema}.audit_log (
                    id bigserial primary key,
                    at timestamptz not null,
                    actor text not null,
                    actor_name text not null,
                    actor_role text not null,
                    actor_scope text not null,  -- region code, or credit code for an enterprise
                    action text not null,
                    entity_type text not null,
                    entity_id text not null,
                    before jsonb,
                    after jsonb);
                create index if not exists audit_log_entity on {schema}.audit_log (entity_type, entity_id);
                """, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<(int Version, string Name, string Checksum)>(new CommandDefinition(
                $"select version, name, checksum from {schema}.schema_migrations", cancellationToken: cancellationToken))).ToDictionary(m => m.Version);

            var count = 0;
            foreach (var migration in Migrations)
            {
                if (applied.TryGetValue(migration.Version, out var done))
                {
                    if (done.Checksum != migration.Checksum)
                        throw new InvalidOperationException(
                            $"migration {migration.Version:D4}_{migration.Name} changed after it was applied to schema {schema}; add a new migration instead");
                    continue;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition($"set local search_path to {schema}", transaction: transaction,
                    cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    $"insert into {schema}.schema_migrations (version, name, checksum) values (@Version, @Name, @Checksum)",
                    migration, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version:D4}_{Name} to {Schema}", migration.Version, migration.Name, schema);
                count++;
            }
            return count;
        }
        finally
        {
            // Not cancelled: the lock is given back even when the start was cancelled.
            await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_unlock(hashtext(@key))", new { key = "migrations:" + schema },
                cancellationToken: CancellationToken.None));
        }
    }

    private static List<Migration> Load(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)))
        {
            var file = Path.GetFileNameWithoutExtension(resource);
            var separator = file.IndexOf('_');
            if (separator <= 0 || !int.TryParse(file[..separator], out var version))
                throw new InvalidOperationException($"migration {resource} must be named NNNN_name.sql");
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            migrations.Add(new Migration(version, file[(separator + 1)..], sql, checksum));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"two migrations are numbered {duplicate.Key:D4}");
        return [.. migrations.OrderBy(m => m.Version)];
    }
}
