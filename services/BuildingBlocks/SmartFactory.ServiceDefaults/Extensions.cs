using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Auth;
using SmartFactory.ServiceDefaults.Data;
using SmartFactory.ServiceDefaults.Grpc;
using StackExchange.Redis;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace SmartFactory.ServiceDefaults;

public static class Extensions
{
    /// <summary>A check that has not answered by then counts as failed: readiness must not hang on a silent host.</summary>
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What every process shares: Kestrel endpoints (<c>Endpoints:Grpc</c> HTTP/2 only, <c>Endpoints:Http</c> HTTP/1.1),
    /// Keycloak token validation, health checks, and for a service with a <paramref name="schema"/> its
    /// PostgreSQL data source, migrator and audit writer, and the gRPC server for <paramref name="grpcServices"/> with
    /// domain errors mapped to statuses, the standard health service (one name per service, fed by the checks behind
    /// <c>/health/ready</c>) and server reflection.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string? schema = null,
        params ServiceDescriptor[] grpcServices)
    {
        builder.AddTelemetry(); // traces and metrics over OTLP when configured, trace ids in the logs
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // h2c needs an HTTP/2-only endpoint: with HTTP/1 also on, plain-text clients get HTTP/1.1 (PACKAGES.md).
            if (builder.Configuration[ServiceSettings.Keys.GrpcEndpoint] is { Length: > 0 } grpc) Listen(kestrel, grpc, HttpProtocols.Http2);
            if (builder.Configuration[ServiceSettings.Keys.HttpEndpoint] is { Length: > 0 } http) Listen(kestrel, http, HttpProtocols.Http1);
        });
        builder.AddKeycloakAuthentication();

        var health = builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [HealthTags.Live]);

        if (schema is not null)
        {
            DateOnlyHandler.Register();
            builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(
                sp.GetRequiredService<IConfiguration>()[ServiceSettings.Keys.Postgres]
                ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set"))
            { SearchPath = schema }.ConnectionString));
            // The service's own assembly carries its migrations as embedded resources.
            builder.Services.AddSingleton(sp => new Migrator(sp.GetRequiredService<NpgsqlDataSource>(), schema,
                Assembly.Load(new AssemblyName(sp.GetRequiredService<IHostEnvironment>().ApplicationName)),
                sp.GetRequiredService<ILogger<Migrator>>()));
            builder.Services.AddSingleton<AuditWriter>();
            // Without its database the service can answer nothing: unready, so it leaves rotation until PostgreSQL is back.
            health.AddNpgSql(name: "postgres", timeout: HealthCheckTimeout);
        }
        if (grpcServices.Length > 0)
        {
            builder.Services.AddGrpc(options =>
            {
                options.Interceptors.Add<ErrorInterceptor>();
                options.MaxReceiveMessageSize = GrpcClients.DefaultMaxMessageBytes;
                options.MaxSendMessageSize = GrpcClients.DefaultMaxMessageBytes;
            });
            builder.Services.AddGrpcReflection();
            builder.Services.AddGrpcHealthChecks(options =>
            {
                options.Services.Clear();
                foreach (var name in grpcServices.Select(s => s.FullName).Prepend(""))
                    options.Services.Map(name, _ => true); // every check, as /health/ready
            });
        }
        return builder;
    }

    /// <summary>
    /// Redis (<c>ConnectionStrings:Redis</c>), for a process that keeps rate limits (<see cref="RateLimits"/>), a cache or
    /// job locks there. Redis holds no data of record, so its outage degrades readiness and never fails it: taking every
    /// replica out of rotation for a cache would turn a limiter's outage into the platform's. Commands fail at once while
    /// it is unreachable, for callers to fall back, rather than waiting in a backlog.
    /// </summary>
    public static WebApplicationBuilder AddRedis(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = ConfigurationOptions.Parse(sp.GetRequiredService<IConfiguration>()[ServiceSettings.Keys.Redis] ?? "127.0.0.1:6379");
            options.AbortOnConnectFail = false; // start without Redis, and say so in /health/ready
            options.BacklogPolicy = BacklogPolicy.FailFast;
            // Back within seconds of Redis, so that limits are shared again soon after it returns.
            options.ReconnectRetryPolicy = new ExponentialRetry(500, 5000);
            return ConnectionMultiplexer.Connect(options);
        });
        builder.Services.AddSingleton<RateLimits>();
        builder.Services.AddHealthChecks().AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), "redis", HealthStatus.Degraded,
            timeout: HealthCheckTimeout);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Resolved now so that a development key configured outside Development stops the process at start.
        app.Services.GetRequiredService<DevelopmentTokens>();
        app.UseStatusCodePages(); // empty 401/403/404 answers get a body (problem details where registered)
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks(ServiceSettings.LivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Live) });
        // Ready is this process's own state: another service being down is that service's readiness, not ours.
        // Degraded (Redis down) still answers 200, as ASP.NET Core maps it by default: the body names what is degraded.
        app.MapHealthChecks(ServiceSettings.ReadyPath, new HealthCheckOptions
        {
            Predicate = check => !check.Tags.Contains(HealthTags.Backend), ResponseWriter = HealthReports.WriteAsync,
        });
        return app;
    }

    /// <summary>
    /// `SmartFactory.X migrate` applies the migrations and exits (the chart's pre-install job); otherwise the
    /// service runs, applying them first in Development.
    /// </summary>
    public static async Task RunServiceAsync(this WebApplication app, string[] args)
    {
        var migrator = app.Services.GetRequiredService<Migrator>();
        if (args is [ServiceSettings.MigrateCommand, ..])
        {
            var applied = await migrator.RunAsync(app.Lifetime.ApplicationStopping);
            app.Logger.LogInformation("{Count} migration(s) applied", applied);
            return;
        }
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>(ServiceSettings.Keys.MigrateOnStart))
            await migrator.RunAsync(app.Lifetime.ApplicationStopping);
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        await app.RunAsync();
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var uri = new Uri(url);
        var address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            var host => IPAddress.Parse(host),
        };
        kestrel.Listen(address, uri.Port, listen => listen.Protocols = protocols);
    }
}
