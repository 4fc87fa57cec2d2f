using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SmartFactory.ServiceDefaults;

/// <summary>What a rate limit said: whether the request goes in and, when it does not, when the client may try again.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Requests per client and minute, each limit by its name (the notices' objections, the gateway's catalog searches and
/// exports): a fixed window per client in Redis, shared by every replica. Redis is a limiter, not a record: while it is
/// unreachable each process limits on its own, in memory (a client then gets the limit once per replica), and requests
/// still go in.
/// </summary>
public sealed class RateLimits(IConnectionMultiplexer redis, TimeProvider time, ILogger<RateLimits> logger) : IDisposable
{
    // Idle clients' windows are dropped by the limiter itself, so memory follows the clients of the last minutes.
    // It counts real minutes, not TimeProvider's: it stands in only while Redis is down.
    private readonly PartitionedRateLimiter<(string Name, int Limit, string Client)> perProcess =
        PartitionedRateLimiter.Create<(string Name, int Limit, string Client), (string, int, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = k.Item2, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
            }));
    private int fallenBack;

    /// <summary>Counts one request of <paramref name="client"/> against the limit <paramref name="name"/>.</summary>
    public async Task<RateDecision> TryAcquireAsync(string name, string client, int perMinute)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (await SharedCountAsync($"smartfactory:{name}:{client}:{now / 60}") is { } count)
            return new RateDecision(count <= perMinute, TimeSpan.FromSeconds(60 - now % 60));
        using var lease = perProcess.AttemptAcquire((name, perMinute, client));
        return new RateDecision(lease.IsAcquired, lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1));
    }

    public void Dispose() => perProcess.Dispose();

    private async Task<long?> SharedCountAsync(string key)
    {
        try
        {
            var database = redis.GetDatabase();
            var count = await database.StringIncrementAsync(key);
            if (count == 1) await database.KeyExpireAsync(key, TimeSpan.FromMinutes(2));
            if (Interlocked.Exchange(ref fallenBack, 0) == 1) logger.LogInformation("Redis is back: rate limits are shared again");
            return count;
        }
        // Once per outage in the log, not once per request.
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            if (Interlocked.Exchange(ref fallenBack, 1) == 0)
                logger.LogWarning(e, "Redis is unreachable: rate limits count per process until it is back");
            return null;
        }
    }
}
