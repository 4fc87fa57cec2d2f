using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SmartFactory.ServiceDefaults.Tests;

/// <summary>
/// An OpenTelemetry collector inside the test, as far as OTLP/HTTP with protobuf goes: it keeps what is POSTed to
/// <c>/v1/traces</c> and <c>/v1/metrics</c> and answers as a collector does. It also serves <c>GET /ping</c>, for a
/// service under test to call out to.
/// </summary>
public sealed class OtlpReceiver : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Signal, string? ContentType, byte[] Body)> posts = new();
    private WebApplication? app;

    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<(string Signal, string? ContentType, byte[] Body)> Posts => posts.ToList();

    public IReadOnlyList<Otlp.Item> Spans => [.. posts.Where(p => p.Signal == "traces").SelectMany(p => Otlp.Read(p.Body, Otlp.SpanName))];

    public IReadOnlyList<Otlp.Item> Metrics => [.. posts.Where(p => p.Signal == "metrics").SelectMany(p => Otlp.Read(p.Body, Otlp.MetricName))];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            posts.Enqueue((signal, request.ContentType, body.ToArray()));
            // An empty Export*ServiceResponse: full success.
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapGet("/ping", () => "pong");
        await app.StartAsync();
        Endpoint = app.Urls.First();
    }

    public async Task DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}

/// <summary>
/// Just enough of OTLP's protobuf to say what arrived, read field by field from the wire format. Traces and metrics
/// share a shape: resource (1) and scopes (2) per resource, scope (1) and items (2) per scope; a resource's attributes
/// are field 1 (a span's 9) as key (1) and value (2, a string in 1); a scope names itself in 1, a span in 5 and a metric in 1.
/// </summary>
public static class Otlp
{
    public const int SpanName = 5, MetricName = 1;

    /// <param name="Kind">For a span: 2 server, 3 client.</param>
    /// <param name="Attributes">A span's attributes (field 9) that are strings.</param>
    public sealed record Item(string Service, string Scope, string Name, string TraceId, string ParentSpanId, int Kind,
        IReadOnlyDictionary<string, string> Attributes);

    public static IEnumerable<Item> Read(byte[] body, int nameField)
    {
        foreach (var resource in Messages(ByteString.CopyFrom(body), 1))
        {
            var service = Attributes(Messages(resource, 1).FirstOrDefault() ?? ByteString.Empty, 1).GetValueOrDefault("service.name", "");
            foreach (var scopeItems in Messages(resource, 2))
            {
                var scope = Text(Messages(scopeItems, 1).FirstOrDefault() ?? ByteString.Empty, 1);
                foreach (var item in Messages(scopeItems, 2))
                    yield return new Item(service, scope, Text(item, nameField), Hex(item, 1), Hex(item, 4), (int)Number(item, 6),
                        Attributes(item, 9));
            }
        }
    }

    private static Dictionary<string, string> Attributes(ByteString message, int field) => Messages(message, field)
        .Select(attribute => (Key: Text(attribute, 1), Value: Text(Messages(attribute, 2).FirstOrDefault() ?? ByteString.Empty, 1)))
        .DistinctBy(attribute => attribute.Key)
        .ToDictionary(attribute => attribute.Key, attribute => attribute.Value);

    private static string Text(ByteString message, int field) => Messages(message, field).FirstOrDefault()?.ToStringUtf8() ?? "";

    private static string Hex(ByteString message, int field) => Convert.ToHexStringLower(Messages(message, field).FirstOrDefault()?.ToByteArray() ?? []);

    /// <summary>The length-delimited values of one field: embedded messages, strings and bytes alike.</summary>
    private static List<ByteString> Messages(ByteString message, int field)
    {
        var values = new List<ByteString>();
        var input = message.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                values.Add(input.ReadBytes());
            else
                input.SkipLastField();
        }
        return values;
    }

    private static ulong Number(ByteString message, int field)
    {
        var input = message.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint) return input.ReadUInt64();
            input.SkipLastField();
        }
        return 0;
    }
}
