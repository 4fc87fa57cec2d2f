using Dapper;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.Registry.Data;

/// <summary>
/// The caller's scope as SQL, over the aliases <c>e</c> (enterprises) and <c>f</c> (factories). An enterprise sees
/// itself; an authority sees the enterprises registered in its jurisdiction and those with a factory there (an
/// enterprise of Wuhan with a plant in Xiangyang is Xiangyang's business too), and the factories in it.
/// </summary>
internal static class ScopeSql
{
    public static string Enterprises(CallerScope caller) => caller.Role == Role.Enterprise
        ? "e.credit_code = @scope_credit_code"
        : "(e.region_code like @scope_region or exists (select 1 from factories sf where sf.enterprise_id = e.id and sf.region_code like @scope_region))";

    /// <summary>Factories, and everything that belongs to one (applications, recognitions), joined as f and e.</summary>
    public static string Factories(CallerScope caller) => caller.Role == Role.Enterprise
        ? "e.credit_code = @scope_credit_code"
        : "f.region_code like @scope_region";

    public static DynamicParameters Parameters(CallerScope caller)
    {
        var parameters = new DynamicParameters();
        parameters.Add("scope_credit_code", caller.CreditCode);
        parameters.Add("scope_region", caller.RegionPrefix + "%");
        return parameters;
    }
}

/// <summary>One page of rows and the count of all rows matching the same condition.</summary>
internal static class PageQuery
{
    public static async Task<(List<TRow> Rows, int Total)> RunAsync<TRow>(Npgsql.NpgsqlDataSource dataSource, string columns, string from,
        IEnumerable<string> conditions, string order, DynamicParameters parameters, int offset, int limit, CancellationToken cancellationToken)
    {
        var condition = string.Join(" and ", conditions);
        parameters.Add("offset", offset);
        parameters.Add("limit", limit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"select count(*) from {from} where {condition}", parameters,
            cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<TRow>(new CommandDefinition($"select {columns} from {from} where {condition} order by {order} offset @offset limit @limit", parameters,
            cancellationToken: cancellationToken));
        return ([.. rows], total);
    }
}
