using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;

namespace SmartFactory.ServiceDefaults.Data;

/// <summary>
/// The evidence store: checked files (<see cref="Evidence.Check"/>) kept with their SHA-256 in a table of the service's
/// own schema, which its own migration creates in this shape, the owner being whatever the files belong to:
/// <code>
/// create table {table} (
///     id uuid primary key,
///     {owner} uuid not null references …,
///     file_name text not null, content_type text not null, size bigint not null, sha256 text not null, content bytea not null);
/// </code>
/// Writes join the caller's transaction, so a file goes in (or out) with the change and the audit row it belongs to.
/// Listings never read the bytes; a file's bytes are read back one file at a time.
/// </summary>
public sealed partial class EvidenceTable
{
    private readonly string table, owner;

    public EvidenceTable(string table, string ownerColumn)
    {
        // Identifiers go into the SQL text: code constants only, never input.
        if (!Identifier().IsMatch(table) || !Identifier().IsMatch(ownerColumn)) throw new ArgumentException("table and owner column must be plain SQL identifiers");
        (this.table, owner) = (table, ownerColumn);
    }

    public Task InsertAsync(NpgsqlTransaction transaction, Guid ownerId, IEnumerable<(EvidenceFile File, byte[] Content)> files,
        CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition($"""
            insert into {table} (id, {owner}, file_name, content_type, size, sha256, content)
            values (@Id, @Owner, @FileName, @ContentType, @Size, @Sha256, @Content)
            """, files.Select(f => new { f.File.Id, Owner = ownerId, f.File.FileName, f.File.ContentType, f.File.Size, f.File.Sha256, f.Content }),
            transaction, cancellationToken: cancellationToken));

    /// <summary>Removes one file of the owner; false when it has no such file.</summary>
    public async Task<bool> DeleteAsync(NpgsqlTransaction transaction, Guid ownerId, Guid id, CancellationToken cancellationToken) =>
        await transaction.Connection!.ExecuteAsync(new CommandDefinition($"delete from {table} where {owner} = @ownerId and id = @id",
            new { ownerId, id }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>The bytes the owner's files take together, for a limit per owner.</summary>
    public Task<long> TotalSizeAsync(NpgsqlTransaction transaction, Guid ownerId, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteScalarAsync<long>(new CommandDefinition($"select coalesce(sum(size), 0)::bigint from {table} where {owner} = @ownerId",
            new { ownerId }, transaction, cancellationToken: cancellationToken));

    /// <summary>The files of these owners, without their bytes, in the order they were stored.</summary>
    public async Task<ILookup<Guid, EvidenceFile>> ListAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> ownerIds, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null) =>
        (await connection.QueryAsync<(Guid Owner, Guid Id, string FileName, string ContentType, long Size, string Sha256)>(new CommandDefinition($"""
            select {owner}, id, file_name, content_type, size, sha256 from {table} where {owner} = any(@ids) order by id
            """, new { ids = ownerIds.ToArray() }, transaction, cancellationToken: cancellationToken)))
        .ToLookup(r => r.Owner, r => new EvidenceFile(r.Id, r.FileName, r.ContentType, r.Size, r.Sha256));

    /// <summary>One file of the owner with its bytes, or null.</summary>
    public async Task<(EvidenceFile Info, byte[] Content)?> ReadAsync(NpgsqlConnection connection, Guid ownerId, Guid id, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, string FileName, string ContentType, long Size, string Sha256, byte[] Content)>(new CommandDefinition($"""
            select id, file_name, content_type, size, sha256, content from {table} where {owner} = @ownerId and id = @id
            """, new { ownerId, id }, transaction, cancellationToken: cancellationToken));
        return row.Content is null ? null : (new EvidenceFile(row.Id, row.FileName, row.ContentType, row.Size, row.Sha256), row.Content);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
