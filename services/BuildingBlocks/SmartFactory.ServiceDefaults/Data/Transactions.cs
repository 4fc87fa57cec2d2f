using Dapper;
using Npgsql;

namespace SmartFactory.ServiceDefaults.Data;

/// <summary>
/// Open, begin, write (the change and its audit rows), commit: every state change is one transaction, and any
/// exception before the commit leaves nothing behind.
/// </summary>
public static class Transactions
{
    public static Task InTransactionAsync(this NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task> write,
        CancellationToken cancellationToken) =>
        dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await write(connection, transaction);
            return true;
        }, cancellationToken);

    public static async Task<T> InTransactionAsync<T>(this NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// A write a unique index may refuse (a second enterprise with the same credit code): the refusal becomes the
    /// caller's error in the rule's words, not a fault.
    /// </summary>
    public static async Task<int> ExecuteUniqueAsync(this NpgsqlConnection connection, CommandDefinition command, Func<Exception> duplicate)
    {
        try { return await connection.ExecuteAsync(command); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation) { throw duplicate(); }
    }
}
