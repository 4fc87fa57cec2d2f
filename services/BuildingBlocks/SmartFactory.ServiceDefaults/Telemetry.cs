using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SmartFactory.ServiceDefaults;

/// <summary>
/// Traces and metrics of every process (ASP.NET Core and gRPC served, gRPC and HTTP clients, Npgsql, YARP), sent over
/// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: without it nothing listens, so nothing is recorded. The
/// exporter follows the standard <c>OTEL_*</c> settings (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c> grpc or http/protobuf,
/// headers, <c>OTEL_RESOURCE_ATTRIBUTES</c>); the service is named after the application unless
/// <c>OTEL_SERVICE_NAME</c> says otherwise. Logs go to the console with each line carrying its trace and span id,
/// one JSON object a line outside Development.
/// </summary>
public static class Telemetry
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ServiceNameKey = "OTEL_SERVICE_NAME";
    private const string NpgsqlSource = "Npgsql";

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.AddTraceIdLogging();
        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey])) return builder;

        var serviceName = builder.Configuration[ServiceNameKey] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;
        // An exporter per signal, not UseOtlpExporter: that one also sends the logs, which the console already carries.
        builder.Services.AddOpenTelemetry()
            // Added after the OTEL_* detectors, so it would win over OTEL_SERVICE_NAME were that not read above.
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName) // a service's own spans, should it start any
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("Yarp.ReverseProxy")
                .AddNpgsql()
                .AddProcessor<UnparentedQueriesDropped>()
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter("System.Runtime") // the runtime's own meter (GC, thread pool, exceptions) since .NET 9
                .AddMeter("SmartFactory.*") // the services' own, e.g. the catalog's lag behind the registry's feed
                .AddOtlpExporter());
        return builder;
    }

    /// <summary>
    /// The trace id in every console line, whether or not traces are exported: ASP.NET Core starts an activity for each
    /// request (continuing the caller's <c>traceparent</c>) and the logger puts its ids in a scope that the formatter
    /// prints. A formatter named in <c>Logging:Console:FormatterName</c> is kept.
    /// </summary>
    private static void AddTraceIdLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 }) return;
        if (builder.Environment.IsDevelopment())
            builder.Logging.AddSimpleConsole(options =>
            {
                options.IncludeScopes = true;
                options.SingleLine = true; // so that grep by trace id finds the message, not just its scope
                options.TimestampFormat = "HH:mm:ss.fff ";
            });
        else
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
    }

    /// <summary>Probes come every few seconds from Kubernetes and the gateway: a trace each would bury the requests.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/grpc.health.v1.Health");

    /// <summary>
    /// A query outside any request or job span is a background loop polling (the notices relay every two seconds): as a
    /// trace of one span each it would be noise, so it is not recorded. It still counts in the Npgsql metrics.
    /// </summary>
    private sealed class UnparentedQueriesDropped : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.Source.Name != NpgsqlSource || data.ParentSpanId != default) return;
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
