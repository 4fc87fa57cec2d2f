using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SmartFactory.TestSupport;

namespace SmartFactory.ServiceDefaults.Tests;

/// <summary>
/// A host built by AddServiceDefaults as a service's is, on real Kestrel and PostgreSQL, exporting to a collector in
/// the test when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly OtlpReceiver collector = new();
    private readonly List<WebApplication> apps = [];
    private TestDatabase database = null!;

    public async Task InitializeAsync()
    {
        await collector.InitializeAsync();
        database = await TestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in apps) await app.DisposeAsync();
        await database.DisposeAsync();
        await collector.DisposeAsync();
    }

    private Dictionary<string, string?> Exporting() => new()
    {
        [Telemetry.OtlpEndpointKey] = collector.Endpoint, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    /// <summary>
    /// A service with a schema, whose <c>GET /work</c> queries PostgreSQL and calls out over HTTP. Without an endpoint in
    /// <paramref name="settings"/> the variable is set empty, so one in the test run's environment changes nothing.
    /// </summary>
    private async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        // Named as a service's Program names it: after its own assembly (under dotnet test the entry one is the runner's).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production", ApplicationName = typeof(TelemetryTests).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Endpoints:Http"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestDatabase.Redis,
            [Telemetry.OtlpEndpointKey] = "",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults("telemetry");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        apps.Add(app);
        app.MapDefaultEndpoints();
        app.MapGet("/work", async (NpgsqlDataSource postgres, IHttpClientFactory http) =>
        {
            await using var query = postgres.CreateCommand("select 'in a request'");
            await query.ExecuteScalarAsync();
            return await http.CreateClient().GetStringAsync($"{collector.Endpoint}/ping");
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>
    /// A request continuing the trace <paramref name="traceId"/>, as one from the gateway does. The client propagates
    /// nothing itself: with the host's listener in this process it would send its own span's context instead.
    /// </summary>
    private static async Task<string> GetAsync(WebApplication app, string path, ActivityTraceId traceId, ActivitySpanId parent)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(app.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Flushes until <paramref name="arrived"/>: a server span ends just after its response has gone.</summary>
    private static async Task FlushUntilAsync(BaseProvider provider, Func<bool> arrived)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(15); !arrived(); await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < deadline, "nothing arrived at the collector in 15 s");
            _ = provider switch
            {
                TracerProvider tracer => tracer.ForceFlush(5000),
                MeterProvider meter => meter.ForceFlush(5000),
                _ => false,
            };
        }
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_listens_and_nothing_is_exported()
    {
        var app = await StartAsync([]);
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());

        Assert.Equal("pong", await GetAsync(app, "/work", ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()));
        Assert.Empty(collector.Posts);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_a_request_reaches_the_collector_with_its_query_and_its_outgoing_call()
    {
        var app = await StartAsync(Exporting());
        var (traceId, parent) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        var probeTraceId = ActivityTraceId.CreateRandom();
        Assert.Equal("Healthy", await GetAsync(app, "/health/live", probeTraceId, ActivitySpanId.CreateRandom()));
        Assert.Equal("pong", await GetAsync(app, "/work", traceId, parent));
        // Outside any request, as a background loop polls: not a trace of its own.
        Activity.Current = null;
        await using (var background = app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("select 'in the background'"))
            await background.ExecuteScalarAsync();

        var tracer = app.Services.GetRequiredService<TracerProvider>();
        var id = traceId.ToString();
        await FlushUntilAsync(tracer, () => collector.Spans.Any(s => s.TraceId == id && s.Name == "GET /work"));
        tracer.ForceFlush(5000);

        var post = collector.Posts.First(p => p.Signal == "traces");
        Assert.Equal("application/x-protobuf", post.ContentType);
        Assert.NotEmpty(post.Body);
        var spans = collector.Spans.Where(s => s.TraceId == id).ToList();
        var server = Assert.Single(spans, s => s is { Kind: 2, Name: "GET /work" });
        Assert.Equal(("SmartFactory.ServiceDefaults.Tests", "Microsoft.AspNetCore", parent.ToString()), (server.Service, server.Scope, server.ParentSpanId));
        Assert.Contains(spans, s => s is { Scope: "Npgsql", Kind: 3 } && s.Attributes.Values.Any(v => v.Contains("in a request")));
        Assert.Contains(spans, s => s is { Scope: "System.Net.Http", Kind: 3 } && s.Attributes.Values.Any(v => v.EndsWith("/ping")));
        Assert.DoesNotContain(collector.Spans, s => s.TraceId == probeTraceId.ToString());
        Assert.DoesNotContain(collector.Spans, s => s.Attributes.Values.Any(v => v.Contains("in the background")));
    }

    [Fact]
    public async Task With_an_otlp_endpoint_metrics_reach_the_collector()
    {
        var app = await StartAsync(Exporting());
        Assert.Equal("pong", await GetAsync(app, "/work", ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()));

        var meter = app.Services.GetRequiredService<MeterProvider>();
        await FlushUntilAsync(meter, () => collector.Metrics.Any(m => m.Name == "http.server.request.duration"));
        var metrics = collector.Metrics.Where(m => m.Service == "SmartFactory.ServiceDefaults.Tests").ToList();
        Assert.Contains(metrics, m => m is { Scope: "Microsoft.AspNetCore.Hosting", Name: "http.server.request.duration" });
        Assert.Contains(metrics, m => m is { Scope: "System.Net.Http", Name: "http.client.request.duration" });
        Assert.Contains(metrics, m => m.Scope == "Npgsql");
    }

    [Fact]
    public async Task The_service_is_named_after_the_application_unless_OTEL_SERVICE_NAME_says_otherwise()
    {
        var named = Exporting();
        named["OTEL_SERVICE_NAME"] = "smartfactory-registry-eu";
        foreach (var (settings, expected) in new[] { (Exporting(), "SmartFactory.ServiceDefaults.Tests"), (named, "smartfactory-registry-eu") })
        {
            var app = await StartAsync(settings);
            Assert.Equal(expected, ServiceName(app.Services.GetRequiredService<TracerProvider>()));
            Assert.Equal(expected, ServiceName(app.Services.GetRequiredService<MeterProvider>()));
        }
    }

    private static object? ServiceName(BaseProvider provider) =>
        provider.GetResource().Attributes.Single(attribute => attribute.Key == "service.name").Value;
}
