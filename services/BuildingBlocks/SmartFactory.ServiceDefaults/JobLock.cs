using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SmartFactory.ServiceDefaults;

/// <summary>
/// The Redis lock under which one replica runs a round of a periodic job that every replica schedules. The lock only
/// saves duplicate work: a job under it must be safe on two replicas at once (its writes version-checked), because
/// while Redis is unreachable every replica runs its round without the lock rather than none running at all.
/// </summary>
public static class JobLock
{
    /// <summary>Runs <paramref name="run"/> unless another replica holds <paramref name="key"/>, and then answers 0.</summary>
    public static async Task<int> RunLockedAsync(this IConnectionMultiplexer redis, string key, TimeSpan expiry, Func<Task<int>> run, ILogger logger)
    {
        var database = redis.GetDatabase();
        var token = Guid.NewGuid().ToString();
        bool taken;
        try { taken = await database.LockTakeAsync(key, token, expiry); }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            logger.LogWarning("Redis is unreachable ({Error}): running {Lock} without its lock", e.Message, key);
            return await run();
        }
        if (!taken) return 0;
        try { return await run(); }
        finally
        {
            try { await database.LockReleaseAsync(key, token); }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // It expires by itself; until then the other replicas skip their rounds.
                logger.LogWarning("Redis is unreachable ({Error}): {Lock} stays taken until it expires", e.Message, key);
            }
        }
    }
}
