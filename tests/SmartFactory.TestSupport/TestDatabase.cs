using Npgsql;

namespace SmartFactory.TestSupport;

/// <summary>
/// A fresh PostgreSQL database for one test class, dropped afterwards. The server and credentials come from
/// SF_TEST_POSTGRES, which `./dev test` sets after starting PostgreSQL.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string Server = Environment.GetEnvironmentVariable("SF_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=smartfactory;Password=smartfactory";

    public static string Redis { get; } = Environment.GetEnvironmentVariable("SF_TEST_REDIS") ?? "127.0.0.1:6379";

    private TestDatabase(string name) => Name = name;

    public string Name { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = Name, Pooling = false }.ConnectionString;

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase("sf_test_" + Guid.NewGuid().ToString("N")[..16]);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database {database.Name}", connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T));
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists {Name} with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
