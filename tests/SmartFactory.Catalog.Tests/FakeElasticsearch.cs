using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SmartFactory.Catalog.Tests;

/// <summary>
/// An in-process HTTP endpoint standing in for an Elasticsearch 9 node (there is no cluster here): it records every
/// request the official client sends, and answers each with the response a test sets, shaped as Elasticsearch's REST
/// documentation shows (and with the X-Elastic-Product header the client checks). It proves what the client sends and
/// that the engine reads documented answers; it proves nothing about relevance or the cjk analyzer's tokens.
/// </summary>
public sealed class FakeElasticsearch : IAsyncDisposable
{
    public sealed record Call(string Method, string Path, string Query, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;

        /// <summary>An NDJSON body (_bulk) line by line.</summary>
        public IReadOnlyList<JsonNode> Lines => [.. Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }

    private WebApplication? app;
    private readonly List<Call> calls = [];

    /// <summary>The answer to a request: status and JSON body (null: no body, as for HEAD).</summary>
    public Func<Call, (int Status, string? Body)> Answer { get; set; } = _ => (404, """{"error":"not set","status":404}""");

    public IReadOnlyList<Call> Calls { get { lock (calls) return [.. calls]; } }

    public Uri Url { get; private set; } = null!;

    public async Task<FakeElasticsearch> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(async context =>
        {
            // The client gzips request bodies (Content-Encoding: gzip), as Elasticsearch accepts them.
            var body = context.Request.Headers.ContentEncoding.ToString() == "gzip"
                ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
            using var reader = new StreamReader(body);
            var call = new Call(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", await reader.ReadToEndAsync());
            lock (calls) calls.Add(call);
            int status; string? answer;
            try { (status, answer) = Answer(call); }
            catch (Exception e) { (status, answer) = (500, JsonSerializer.Serialize(new { error = "the fake failed: " + e, status = 500 })); }
            context.Response.StatusCode = status;
            context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
            if (answer is not null && call.Method != "HEAD")
            {
                // Elasticsearch answers in the media type asked for (the client asks for compatible-with=9 and checks it).
                var accept = context.Request.Headers.Accept.ToString();
                context.Response.ContentType = accept.Length > 0 ? accept : "application/json";
                await context.Response.WriteAsync(answer);
            }
        });
        await app.StartAsync();
        Url = new Uri(app.Urls.First());
        return this;
    }

    // Direct streaming keeps request and response bodies in DebugInformation, for the failures' messages.
    public ElasticsearchClient Client() => new(new ElasticsearchClientSettings(Url).DisableDirectStreaming());

    public void Clear() { lock (calls) calls.Clear(); }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
