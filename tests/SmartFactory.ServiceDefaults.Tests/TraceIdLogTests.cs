using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace SmartFactory.ServiceDefaults.Tests;

/// <summary>The console is the process's: these tests take it over, so nothing else runs beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>What an operator reads: the console lines of a host built by AddServiceDefaults, with no exporter set.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TraceIdLogTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_line_logged_while_serving_a_request_carries_the_request_trace_id(string environment)
    {
        var (traceId, parent) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        var marker = Guid.NewGuid().ToString("N");
        var output = await ConsoleOfAsync(environment, async app =>
        {
            // The trace the caller started, as the gateway's call to a service carries it.
            using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(app.Urls.First()) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/work?marker={marker}");
            request.Headers.Add("traceparent", $"00-{traceId}-{parent}-01");
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
        });

        // Its own line, and the host's request starting and finished, whose path holds the marker too.
        var lines = output.Split('\n').Where(l => l.Contains(marker)).ToList();
        Assert.Contains(lines, l => l.Contains($"Working on {marker}"));
        Assert.True(lines.Count >= 3, string.Join('\n', lines));
        foreach (var line in lines)
        {
            if (environment == "Development")
                Assert.Contains($"TraceId:{traceId}", line);
            else
            {
                // One JSON object a line, the ids among its scopes.
                using var entry = JsonDocument.Parse(line);
                Assert.Contains(entry.RootElement.GetProperty("Scopes").EnumerateArray(), scope =>
                    scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) && id.GetString() == traceId.ToString());
            }
        }
    }

    /// <summary>Everything the host wrote to the console while <paramref name="exercise"/> ran and until it stopped.</summary>
    private static async Task<string> ConsoleOfAsync(string environment, Func<WebApplication, Task> exercise)
    {
        var console = new StringWriter();
        var original = Console.Out;
        // The console logger takes Console.Out when it is built.
        Console.SetOut(TextWriter.Synchronized(console));
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Endpoints:Http"] = "http://127.0.0.1:0", [Telemetry.OtlpEndpointKey] = "",
            });
            builder.AddServiceDefaults();
            var app = builder.Build();
            try
            {
                app.MapGet("/work", (ILogger<TraceIdLogTests> logger, string marker) =>
                {
                    logger.LogInformation("Working on {Marker}", marker);
                    return "done";
                });
                await app.StartAsync();
                await exercise(app);
            }
            finally
            {
                await app.DisposeAsync(); // the console logger writes what it still holds
            }
        }
        finally
        {
            Console.SetOut(original);
        }
        return console.ToString();
    }
}
