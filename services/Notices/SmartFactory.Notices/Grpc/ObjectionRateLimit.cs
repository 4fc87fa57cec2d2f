using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SmartFactory.Notices.Grpc;

/// <summary>
/// Objections per client and minute: a fixed window per client in Redis, shared by every replica. Redis is a limiter,
/// not a record: while it is unreachable each process limits on its own, in memory (a client then gets the limit once
/// per replica), and objections still go in.
/// </summary>
public sealed class ObjectionRateLimit(IConnectionMultiplexer redis, IOptions<NoticesOptions> options, TimeProvider time,
    ILogger<ObjectionRateLimit> logger) : IDisposable
{
    private readonly int limit = options.Value.ObjectionsPerMinute;
    // Idle clients' windows are dropped by the limiter itself, so memory follows the clients of the last minutes.
    // It counts real minutes, not TimeProvider's: it stands in only while Redis is down.
    private readonly PartitionedRateLimiter<string> perProcess = PerProcess(options.Value.ObjectionsPerMinute);
    private int fallenBack;

    /// <summary>Counts one objection of <paramref name="client"/>; false when it is one too many this minute.</summary>
    public async Task<bool> TryAcquireAsync(string client)
    {
        if (await SharedCountAsync(client) is { } count) return count <= limit;
        using var lease = perProcess.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    public void Dispose() => perProcess.Dispose();

    private async Task<long?> SharedCountAsync(string client)
    {
        var key = $"smartfactory:notices:objections:{client}:{time.GetUtcNow().ToUnixTimeSeconds() / 60}";
        try
        {
            var database = redis.GetDatabase();
            var count = await database.StringIncrementAsync(key);
            if (count == 1) await database.KeyExpireAsync(key, TimeSpan.FromMinutes(2));
            if (Interlocked.Exchange(ref fallenBack, 0) == 1) logger.LogInformation("Redis is back: the objections' rate limit is shared again");
            return count;
        }
        // Once per outage in the log, not once per objection.
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            if (Interlocked.Exchange(ref fallenBack, 1) == 0)
                logger.LogWarning(e, "Redis is unreachable: objections are rate-limited per process until it is back");
            return null;
        }
    }

    private static PartitionedRateLimiter<string> PerProcess(int limit) => PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }));
}
