using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace SmartFactory.ServiceDefaults;

public static class HealthTags
{
    /// <summary>The process is alive (liveness); every other check counts towards readiness.</summary>
    public const string Live = "live";
    /// <summary>Checks of other services, reported over gRPC health but kept out of this process's readiness.</summary>
    public const string Backend = "backend";
}

/// <summary>Ready means the service can reach what it needs: its database and Redis.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>("select 1");
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) { return HealthCheckResult.Unhealthy("PostgreSQL is unreachable", e); }
    }
}

public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) { return HealthCheckResult.Unhealthy("Redis is unreachable", e); }
    }
}
