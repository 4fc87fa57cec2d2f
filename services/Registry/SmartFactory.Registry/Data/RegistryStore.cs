using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.Registry.Domain;
using SmartFactory.ServiceDefaults;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Data;

namespace SmartFactory.Registry.Data;

public sealed record EnterpriseFilter(string? RegionCode, string? NameContains, string? CreditCode);
public sealed record FactoryFilter(string? RegionCode, string? IndustryCode, Guid? EnterpriseId, string? NameContains);

/// <summary>
/// The registry's SQL. Every read takes the caller's scope into its WHERE clause, so a row outside the scope is
/// never read at all; every write is one transaction with its audit row.
/// </summary>
public sealed class RegistryStore(NpgsqlDataSource dataSource, ChangeRecorder changes)
{
    private const string EnterpriseColumns = """
        e.id, e.credit_code as CreditCode, e.name, e.region_code as RegionCode, e.industry_code as IndustryCode,
        e.size, e.nature, e.version, e.created_at as CreatedAt, e.updated_at as UpdatedAt
        """;
    private const string FactoryColumns = """
        f.id, f.enterprise_id as EnterpriseId, e.name as EnterpriseName, f.name, f.address, f.region_code as RegionCode,
        f.industry_code as IndustryCode, f.version, f.created_at as CreatedAt, f.updated_at as UpdatedAt
        """;

    private ReferenceData? reference;

    /// <summary>Reference data changes only with a migration, so it is read once.</summary>
    public async Task<ReferenceData> ReferenceDataAsync(CancellationToken cancellationToken)
    {
        if (reference is not null) return reference;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var regions = await connection.QueryAsync<Region>(new CommandDefinition("select code, name, parent_code as ParentCode from regions order by code",
            cancellationToken: cancellationToken));
        var industries = await connection.QueryAsync<Industry>(new CommandDefinition("select code, name, section from industries order by code",
            cancellationToken: cancellationToken));
        return reference = new ReferenceData([.. regions], [.. industries]);
    }

    public async Task<Enterprise?> GetEnterpriseAsync(CallerScope caller, Guid id, CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        parameters.Add("id", id);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EnterpriseRow>(new CommandDefinition(
            $"select {EnterpriseColumns} from enterprises e where e.id = @id and {ScopeSql.Enterprises(caller)}", parameters, cancellationToken: cancellationToken));
        return row?.ToDomain();
    }

    public async Task<(IReadOnlyList<Enterprise> Items, int Total)> ListEnterprisesAsync(CallerScope caller, EnterpriseFilter filter, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        var where = new List<string> { ScopeSql.Enterprises(caller) };
        if (filter.RegionCode is { Length: > 0 }) { where.Add("e.region_code = @region"); parameters.Add("region", filter.RegionCode); }
        if (filter.CreditCode is { Length: > 0 }) { where.Add("e.credit_code = @credit"); parameters.Add("credit", filter.CreditCode); }
        if (filter.NameContains is { Length: > 0 }) { where.Add("strpos(e.name, @name) > 0"); parameters.Add("name", filter.NameContains); }
        var (rows, total) = await PageQuery.RunAsync<EnterpriseRow>(dataSource, EnterpriseColumns, "enterprises e", where, "e.name, e.id", parameters, offset, limit, cancellationToken);
        return ([.. rows.Select(r => r.ToDomain())], total);
    }

    public async Task InsertEnterpriseAsync(CallerScope caller, Enterprise enterprise, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteUniqueAsync(new CommandDefinition("""
                insert into enterprises (id, credit_code, name, region_code, industry_code, size, nature, version, created_at, updated_at)
                values (@Id, @CreditCode, @Name, @RegionCode, @IndustryCode, @Size, @Nature, @Version, @CreatedAt, @UpdatedAt)
                """, EnterpriseRow.From(enterprise), transaction, cancellationToken: cancellationToken),
                () => new AlreadyExistsException($"an enterprise with credit code {enterprise.CreditCode} is already registered"));
            await changes.RecordAsync(transaction, caller, "enterprise.registered", "enterprise", enterprise.Id, null, enterprise, cancellationToken);
        }, cancellationToken);
    }

    public async Task UpdateEnterpriseAsync(CallerScope caller, Enterprise before, Enterprise after, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition("""
                update enterprises set name = @Name, region_code = @RegionCode, industry_code = @IndustryCode, size = @Size,
                    nature = @Nature, version = @Version, updated_at = @UpdatedAt
                where id = @Id and version = @Version - 1
                """, EnterpriseRow.From(after), transaction, cancellationToken: cancellationToken));
            if (updated == 0) throw new ConcurrencyException($"enterprise {after.Id} changed meanwhile; read it again");
            await changes.RecordAsync(transaction, caller, "enterprise.updated", "enterprise", after.Id, before, after, cancellationToken);
        }, cancellationToken);
    }

    public async Task<Factory?> GetFactoryAsync(CallerScope caller, Guid id, CancellationToken cancellationToken)
    {
        var parameters = ScopeSql.Parameters(caller);
        parameters.Add("id", id);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Factory>(new CommandDefinition(
            $"select {FactoryColumns} from factories f join enterprises e on e.id = f.enterprise_id where f.id = @id and {ScopeSql.Factories(caller)}",
            parameters, cancellationToken: cancellationToken));
    }

    public async Task<(IReadOnlyList<Factory> Items, int Total)> ListFactoriesAsync(CallerScope caller, FactoryFilter filter, int offset, int limit,
        CancellationToken cancellationToken)
    {
        var (condition, parameters) = FactoryQuery(caller, filter);
        var (rows, total) = await PageQuery.RunAsync<Factory>(dataSource, FactoryColumns, "factories f join enterprises e on e.id = f.enterprise_id",
            [condition], "f.region_code, f.name, f.id", parameters, offset, limit, cancellationToken);
        return (rows, total);
    }

    /// <summary>Every factory in scope, read as the caller consumes it (unbuffered), for streaming exports.</summary>
    public async IAsyncEnumerable<Factory> StreamFactoriesAsync(CallerScope caller, FactoryFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (condition, parameters) = FactoryQuery(caller, filter);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<Factory>(
            $"select {FactoryColumns} from factories f join enterprises e on e.id = f.enterprise_id where {condition} order by f.region_code, f.name, f.id",
            parameters);
        // Dapper's unbuffered query takes its token from the enumeration, not from a CommandDefinition.
        await foreach (var row in rows.WithCancellation(cancellationToken)) yield return row;
    }

    public async Task InsertFactoryAsync(CallerScope caller, Factory factory, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteUniqueAsync(new CommandDefinition("""
                insert into factories (id, enterprise_id, name, address, region_code, industry_code, version, created_at, updated_at)
                values (@Id, @EnterpriseId, @Name, @Address, @RegionCode, @IndustryCode, @Version, @CreatedAt, @UpdatedAt)
                """, factory, transaction, cancellationToken: cancellationToken),
                () => new AlreadyExistsException($"enterprise {factory.EnterpriseName} already has a factory named {factory.Name}"));
            await changes.RecordAsync(transaction, caller, "factory.registered", "factory", factory.Id, null, factory, cancellationToken);
        }, cancellationToken);
    }

    public async Task UpdateFactoryAsync(CallerScope caller, Factory before, Factory after, CancellationToken cancellationToken)
    {
        await dataSource.InTransactionAsync(async (connection, transaction) =>
        {
            var updated = await connection.ExecuteUniqueAsync(new CommandDefinition("""
                update factories set name = @Name, address = @Address, region_code = @RegionCode, industry_code = @IndustryCode,
                    version = @Version, updated_at = @UpdatedAt
                where id = @Id and version = @Version - 1
                """, after, transaction, cancellationToken: cancellationToken),
                () => new AlreadyExistsException($"enterprise {after.EnterpriseName} already has a factory named {after.Name}"));
            if (updated == 0) throw new ConcurrencyException($"factory {after.Id} changed meanwhile; read it again");
            await changes.RecordAsync(transaction, caller, "factory.updated", "factory", after.Id, before, after, cancellationToken);
        }, cancellationToken);
    }

    private static (string Condition, DynamicParameters Parameters) FactoryQuery(CallerScope caller, FactoryFilter filter)
    {
        var parameters = ScopeSql.Parameters(caller);
        var where = new List<string> { ScopeSql.Factories(caller) };
        if (filter.RegionCode is { Length: > 0 }) { where.Add("f.region_code = @region"); parameters.Add("region", filter.RegionCode); }
        if (filter.IndustryCode is { Length: > 0 }) { where.Add("f.industry_code = @industry"); parameters.Add("industry", filter.IndustryCode); }
        if (filter.EnterpriseId is { } enterpriseId) { where.Add("f.enterprise_id = @enterprise"); parameters.Add("enterprise", enterpriseId); }
        if (filter.NameContains is { Length: > 0 }) { where.Add("strpos(f.name, @name) > 0"); parameters.Add("name", filter.NameContains); }
        return (string.Join(" and ", where), parameters);
    }

    private sealed record EnterpriseRow(
        Guid Id, string CreditCode, string Name, string RegionCode, string IndustryCode, string Size, string Nature,
        long Version, DateTime CreatedAt, DateTime UpdatedAt)
    {
        public Enterprise ToDomain() => new(Id, CreditCode, Name, RegionCode, IndustryCode,
            Enum.Parse<EnterpriseSize>(Size), Enum.Parse<EnterpriseNature>(Nature), Version, CreatedAt, UpdatedAt);

        public static EnterpriseRow From(Enterprise e) => new(e.Id, e.CreditCode, e.Name, e.RegionCode, e.IndustryCode,
            e.Size.ToString(), e.Nature.ToString(), e.Version, e.CreatedAt, e.UpdatedAt);
    }
}
