using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SmartFactory.ServiceDefaults;
using StackExchange.Redis;

namespace SmartFactory.Gateway.Api;

/// <summary>The public catalog's cache and limits in the gateway (section <c>Gateway:Catalog</c>).</summary>
public sealed class CatalogOptions
{
    /// <summary>Searches one client may make per minute (the search route; exports count apart).</summary>
    public int SearchesPerMinute { get; set; } = 300;
    /// <summary>Exports one client may start per minute: each reads the whole search or list.</summary>
    public int ExportsPerMinute { get; set; } = 20;
    /// <summary>How long a cached answer is kept. Its key names the feed's sequence, so a change never waits for this.</summary>
    public int CacheMinutes { get; set; } = 10;
}

/// <summary>
/// The public catalog's answers (search pages, lists, entries; not exports, which stream) cached in Redis under the
/// catalog's applied feed sequence (and its read model's identity, as sequences restart in a new database), asked of the
/// catalog before each read (GetFeedPosition): a registry change moves the
/// sequence, the next read misses and is fresh, and old keys just expire. Each answer carries an ETag (a hash of its
/// body) and If-None-Match answers 304 without one. Redis is a cache, not a record: while it is unreachable answers are
/// computed every time. Search and export are rate-limited per client by the platform's one limiter (<see cref="RateLimits"/>).
/// </summary>
public static class CatalogCache
{
    private const string JsonType = "application/json; charset=utf-8";

    /// <summary>
    /// The Redis key of an answer: the catalog's read model and its applied sequence (GetFeedPosition), then a hash of the
    /// path and query as requested.
    /// </summary>
    public static string Key(long model, long sequence, string pathAndQuery) =>
        $"smartfactory:gateway:catalog:{model}:{sequence}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(pathAndQuery)))}";

    public static RouteHandlerBuilder Cached(this RouteHandlerBuilder route) => route.AddEndpointFilter(async (context, next) =>
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var position = await services.GetRequiredService<CatalogClient>().GetFeedPositionAsync(new(), cancellationToken: http.RequestAborted);
        var key = Key(position.Model, position.AppliedSequence, http.Request.Path + http.Request.QueryString);
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CatalogCache));
        if (await ReadAsync(redis, key, logger) is { } cached) return Answer(http, cached);
        var result = await next(context);
        // Only a 200 is kept: a problem (a wrong filter, an unknown id) is the catalog's to answer each time.
        if (result is not (IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })) return result;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
        await WriteAsync(redis, key, body, TimeSpan.FromMinutes(services.GetRequiredService<IOptions<CatalogOptions>>().Value.CacheMinutes), logger);
        return Answer(http, body);
    }).Produces(StatusCodes.Status304NotModified);

    /// <summary>Counts the request against the client's limit of the minute; one too many is 429 with Retry-After.</summary>
    public static RouteHandlerBuilder RateLimited(this RouteHandlerBuilder route, string what, Func<CatalogOptions, int> perMinute) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var limit = perMinute(http.RequestServices.GetRequiredService<IOptions<CatalogOptions>>().Value);
            var decision = await http.RequestServices.GetRequiredService<RateLimits>()
                .TryAcquireAsync($"gateway:catalog:{what}", ClientAddressHandler.Of(http) ?? "unknown", limit);
            if (decision.Allowed) return await next(context);
            var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Invalid(StatusCodes.Status429TooManyRequests, "Too many requests",
                $"more than {limit} catalog {what} a minute from your address; try again in {seconds} s", []);
        }).ProducesProblem(StatusCodes.Status429TooManyRequests);

    // A strong validator of the bytes themselves: the same answer under a new sequence keeps its ETag, so clients revalidate for free.
    private static IResult Answer(HttpContext http, byte[] body)
    {
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"");
        http.Response.Headers.ETag = etag.ToString();
        // Cacheable by anyone, but asked again each time: a change must be visible at once.
        http.Response.Headers.CacheControl = "public, no-cache";
        var asked = http.Request.GetTypedHeaders().IfNoneMatch;
        if (asked.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(body, JsonType);
    }

    private static async Task<byte[]?> ReadAsync(IConnectionMultiplexer redis, string key, ILogger logger)
    {
        try { return await redis.GetDatabase().StringGetAsync(key) is { HasValue: true } value ? (byte[]?)value : null; }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            logger.LogDebug("Redis is unreachable ({Error}): the catalog answers uncached", e.Message);
            return null;
        }
    }

    private static async Task WriteAsync(IConnectionMultiplexer redis, string key, byte[] body, TimeSpan expiry, ILogger logger)
    {
        try { await redis.GetDatabase().StringSetAsync(key, body, expiry); }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            logger.LogDebug("Redis is unreachable ({Error}): the catalog's answer is not kept", e.Message);
        }
    }
}
