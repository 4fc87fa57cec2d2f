using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
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
