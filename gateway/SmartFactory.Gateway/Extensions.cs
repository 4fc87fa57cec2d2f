using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.HttpOverrides;
using SmartFactory.Gateway.Api;
using SmartFactory.Gateway.Proxy;
using SmartFactory.ServiceDefaults;

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
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // before the framework's, which it replaces
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // A query value that does not bind throws in every environment, so that the handler names the parameter; otherwise
        // outside Development it is an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.AddHttpContextAccessor();
        builder.AddRedis(); // the public catalog's cache and rate limits; optional: without it answers are uncached
        builder.Services.Configure<CatalogOptions>(builder.Configuration.GetSection(GatewaySettings.CatalogOptionsSection));
        builder.Services.AddServiceClients();
        builder.Services.AddGrpcRoutes();
        builder.Services.AddPlatformGrpc();
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
        var trusted = app.Configuration.GetSection(GatewaySettings.Keys.TrustedProxies).Get<string[]>() ?? [];
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
        app.MapOversightApi();
        app.MapNoticesApi();
        app.MapCatalogApi();
        app.MapCalendarApi();
        app.MapDossierApi();
        app.MapPlatformGrpc();
        app.MapReverseProxy(proxy => proxy.Use(GrpcRoutes.RefuseInvalidTokens));
        app.MapGet("/", () => Results.Content(Portal.Home, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

}
