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
        builder.Services.AddSingleton(sp => new GrpcClient(new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = new Uri(sp.GetRequiredService<IConfiguration>()["Services:Registry"] ?? throw new InvalidOperationException("Services:Registry is not set")),
            Timeout = Timeout.InfiniteTimeSpan, // deadlines are per call
        }));
        builder.Services.AddScoped<RegistryClient>();
        builder.Services.AddScoped<LifecycleClient>();
        builder.Services.AddGrpcRoutes();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapDevelopmentTokens();
        app.MapRegistryApi();
        app.MapLifecycleApi();
        app.MapReverseProxy(proxy => proxy.Use(GrpcRoutes.RefuseInvalidTokens));
        app.MapGet("/", () => Results.Content(Portal.Home, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}
