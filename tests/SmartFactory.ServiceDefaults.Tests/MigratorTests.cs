using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SmartFactory.ServiceDefaults.Data;
using SmartFactory.TestSupport;

namespace SmartFactory.ServiceDefaults.Tests;

public sealed class MigratorTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private NpgsqlDataSource dataSource = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = "widgets" }.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await database.DisposeAsync();
    }

    private Migrator Migrator() => new(dataSource, "widgets", Assembly.GetExecutingAssembly(), NullLogger<Migrator>.Instance);

    [Fact]
    public async Task Applies_files_in_order_once_even_when_replicas_start_together()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrator().RunAsync()));
        Assert.Equal([0, 0, 0, 2], results.Order());
        Assert.Equal("齿轮 red", await database.ScalarAsync<string>("select name || ' ' || colour from widgets.widgets"));
        Assert.Equal("1 widgets,2 widget_colour", await database.ScalarAsync<string>(
            "select string_agg(version || ' ' || name, ',' order by version) from widgets.schema_migrations"));
        Assert.Equal(0, await Migrator().RunAsync());
    }

    [Fact]
    public async Task A_file_changed_after_it_was_applied_stops_the_service()
    {
        await Migrator().RunAsync();
        await database.ScalarAsync<int>("update widgets.schema_migrations set checksum = 'edited' where version = 1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().RunAsync());
        Assert.Contains("migration 0001_widgets changed after it was applied", error.Message);
    }

    [Fact]
    public async Task Creates_the_append_only_audit_table_beside_the_schema()
    {
        await Migrator().RunAsync();
        Assert.Equal(1, await database.ScalarAsync<int>(
            "select count(*) from information_schema.tables where table_schema = 'widgets' and table_name = 'audit_log'"));
    }
}
