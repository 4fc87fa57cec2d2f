using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.HttpOverrides;
using SmartFactory.Gateway.Api;
using SmartFactory.Gateway.Proxy;
using SmartFactory.Grpc;

namespace SmartFactory.Gateway;

public static class Extensions
{
    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            // Chinese names stay readable in the JSON instead of \uXXXX escapes.
            options.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddServiceGrpcClient(RegistryClient.Cluster);
        // Evidence files come back whole (up to 10 MiB each): the default 4 MiB would refuse them.
        builder.Services.AddServiceGrpcClient(NoticesClient.Cluster, new GrpcClientOptions { MaxReceiveMessageSize = NoticesClient.MaxMessageBytes });
        builder.Services.AddScoped<RegistryClient>();
        builder.Services.AddScoped<LifecycleClient>();
        builder.Services.AddScoped<NoticesClient>();
        builder.Services.AddGrpcRoutes();
        return builder;
    }

    /// <summary>
    /// The client's address, before anything reads it (the notices service's rate limit, YARP's own X-Forwarded-For).
    /// Behind an ingress every connection comes from the ingress, which appends the client to X-Forwarded-For: with the
    /// ingress's networks in <c>Gateway:TrustedProxies</c> (CIDR), the last entry, from a connection of those networks
    /// only, becomes the client. With none configured nothing is trusted and the peer is the client, whatever the
    /// request's own X-Forwarded-For says.
    /// </summary>
    public static WebApplication UseClientAddress(this WebApplication app)
    {
        var trusted = app.Configuration.GetSection("Gateway:TrustedProxies").Get<string[]>() ?? [];
        // To the middleware, no known proxy at all means any proxy: without a trusted one it stays out.
        if (trusted.Length == 0) return app;
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = 1 };
        options.KnownProxies.Clear(); // the defaults, loopback, are no ingress of ours
        options.KnownIPNetworks.Clear();
        foreach (var network in trusted)
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                : throw new InvalidOperationException($"Gateway:TrustedProxies: '{network}' is not a network in CIDR notation, such as 10.0.0.0/8"));
        app.UseForwardedHeaders(options);
        return app;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapDevelopmentTokens();
        app.MapRegistryApi();
        app.MapLifecycleApi();
        app.MapNoticesApi();
        app.MapReverseProxy(proxy => proxy.Use(GrpcRoutes.RefuseInvalidTokens));
        app.MapGet("/", () => Results.Content(Portal.Home, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    /// <summary>The gRPC client of one service the REST routes call, at <c>Services:&lt;cluster&gt;</c>, keyed by the cluster's name.</summary>
    private static void AddServiceGrpcClient(this IServiceCollection services, string cluster, GrpcClientOptions? options = null) =>
        services.AddKeyedSingleton(cluster, (sp, _) => new GrpcClient(new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = new Uri(sp.GetRequiredService<IConfiguration>()[$"Services:{cluster}"] ?? throw new InvalidOperationException($"Services:{cluster} is not set")),
            Timeout = Timeout.InfiniteTimeSpan, // deadlines are per call
        }, options));
}
