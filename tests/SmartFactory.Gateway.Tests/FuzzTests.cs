using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmartFactory.TestSupport;
using Xunit.Abstractions;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// Thousands of malformed requests on every route of the gateway's OpenAPI document (read at test time, so a new route
/// is covered the day it is mapped), drawn from a fixed seed: broken and odd bodies, content types, headers, path and
/// query values, tokens, raw bytes no HTTP client would send. None may answer 5xx, a refusal with a body is a problem
/// that shows no internals, and the gateway still answers at the end.
/// </summary>
public class FuzzTests(GatewayFixture fixture, ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    /// <summary>Fixed, so that a failure replays; SF_FUZZ_SEED draws another sequence.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("SF_FUZZ_SEED"), out var seed) ? seed : 20_260_705;
    private const int Count = 6_000;
    private const int Parallelism = 12;
    private const string NoAnswerInTime = "no answer within 30 s";

    [Fact]
    public async Task Thousands_of_malformed_requests_on_every_route_get_no_5xx_and_the_gateway_stays_up()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var routes = OpenApiRoute.Read(document);
        Assert.True(routes.Count >= 40, $"{routes.Count} routes in the OpenAPI document");
        var records = await CityRecords.CreateAsync(fixture, "420100");
        var malformer = new Malformer(new Random(Seed), document, Tokens(records), records.Ids.Append(records.CampaignId).ToArray());
        // Drawn in order from the seed (a failure replays), every route in turn; sent in parallel.
        var probes = Enumerable.Range(0, Count).Select(i => malformer.Draw(routes[i % routes.Count])).ToList();

        var address = GatewayFixture.NewClientAddress(); // the objections' rate limit is per client: a client of its own
        using var http = fixture.ClientFrom(address);
        http.Timeout = TimeSpan.FromSeconds(30);
        string[] internals = [fixture.Registry.GrpcAddress.Authority, fixture.Notices.GrpcAddress.Authority, "Exception", "   at "];
        var statuses = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (probe, _) =>
        {
            var (status, mediaType, text) = probe.Raw is { } raw ? await SendRaw(address, probe, raw) : await Send(http, probe);
            statuses.AddOrUpdate(status?.ToString() ?? $"no answer to {probe.Kind}", 1, (_, n) => n + 1);
            if (Fault(probe, status, mediaType, text, internals) is { } fault)
                failures.Enqueue($"{fault}: [{probe.Kind}] {probe.Method} {Shorten(probe.Target)} → {status} {Shorten(text)}");
        });
        clock.Stop();

        output.WriteLine($"seed {Seed}: {probes.Count} requests ({probes.Count(p => p.Raw is not null)} raw) on {routes.Count} routes in {clock.Elapsed.TotalSeconds:F1} s; " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {probes.Count} failed:\n{string.Join("\n", failures.Take(30))}");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/health/live")).StatusCode);
        // Nor did any service behind the gateway die of what reached it.
        foreach (var service in new[] { fixture.Registry.HttpClient(), fixture.Notices.HttpClient() })
            using (service) Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/api/v1/notices")).StatusCode);
    }

    /// <summary>What is wrong with an answer, if anything.</summary>
    private static string? Fault(Probe probe, int? status, string? mediaType, string text, string[] internals)
    {
        if (status is null) return text == NoAnswerInTime ? NoAnswerInTime : probe.MayGoUnanswered ? null : "no answer";
        // Kestrel answers a version it does not speak (HTTP/1.2) before the gateway sees the request; RFC 9112 would have
        // it read as 1.1, and nothing in the gateway can change that.
        if (status == 505 && probe.Kind == "raw request line") return null;
        if (status >= 500) return "5xx";
        if (status < 400 || text.Length == 0) return null; // Kestrel's own refusals of what is not HTTP have no body
        if (mediaType != "application/problem+json") return $"a refusal as {mediaType}";
        if (internals.FirstOrDefault(text.Contains) is { } leaked) return $"a refusal naming {leaked}";
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            return problem.GetProperty("status").GetInt32() == status && problem.TryGetProperty("traceId", out _) ? null : "a problem without its status or traceId";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "a problem that is not one";
        }
    }

    private static async Task<(int?, string?, string)> Send(HttpClient http, Probe probe)
    {
        using var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Target);
        if (probe.Body is not null)
        {
            request.Content = new ByteArrayContent(probe.Body);
            if (probe.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
        }
        foreach (var (name, value) in probe.Headers)
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        try
        {
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
        catch (TaskCanceledException)
        {
            return (null, null, NoAnswerInTime);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (null, null, e.Message);
        }
    }

    /// <summary>Bytes on a socket of their own; the answer until the gateway closes the connection, if there is one.</summary>
    private async Task<(int?, string?, string)> SendRaw(IPAddress from, Probe probe, byte[] raw)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = new MemoryStream();
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, fixture.Gateway.HttpPort), timeout.Token);
            await socket.SendAsync(raw, timeout.Token);
            if (probe.MayGoUnanswered) socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0) answer.Write(buffer, 0, read);
        }
        catch (OperationCanceledException) { return (null, null, NoAnswerInTime); }
        catch (SocketException) { } // what came before the reset is the answer
        var bytes = answer.ToArray();
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.UTF8.GetString(split < 0 ? bytes : bytes[..split]);
        if (!head.StartsWith("HTTP/1.", StringComparison.Ordinal) || head.Length < 12 || !int.TryParse(head.AsSpan(9, 3), out var status)) return (null, null, head);
        var headers = head.Split("\r\n");
        var mediaType = headers.FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Split(';')[0].Trim();
        var body = split < 0 ? [] : bytes[(split + 4)..];
        // Only the first answer's body: a pipelined request has more after it.
        if (headers.Contains("Transfer-Encoding: chunked", StringComparer.OrdinalIgnoreCase)) body = Unchunk(body);
        else if (headers.FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } length
                 && int.TryParse(length[15..], out var count)) body = body[..Math.Min(count, body.Length)];
        return (status, mediaType, Encoding.UTF8.GetString(body));
    }

    private static byte[] Unchunk(byte[] chunked)
    {
        var body = new MemoryStream();
        for (var at = 0; at < chunked.Length;)
        {
            var end = chunked.AsSpan(at).IndexOf("\r\n"u8);
            if (end < 0 || !int.TryParse(Encoding.ASCII.GetString(chunked, at, end), System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0) break;
            body.Write(chunked, at + end + 2, Math.Min(size, chunked.Length - at - end - 2));
            at += end + 2 + size + 2;
        }
        return body.ToArray();
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    /// <summary>Signed tokens of every role and of odd claims, and tokens that must be refused.</summary>
    private Dictionary<string, string> Tokens(CityRecords records)
    {
        var issuer = fixture.Issuer;
        return new()
        {
            ["enterprise"] = issuer.Token("enterprise", records.Region, records.CreditCode),
            ["other enterprise"] = issuer.Token("enterprise", records.Region, CreditCodes.New(records.Region)),
            ["city"] = issuer.Token("city", records.Region),
            ["other city"] = issuer.Token("city", "420500"),
            ["province"] = issuer.Token("province", "420000"),
            ["ministry"] = issuer.Token("ministry", "000000"),
            ["service"] = issuer.ServiceToken(),
            ["enterprise without a credit code"] = issuer.Token("enterprise", records.Region),
            ["city without a region"] = issuer.Token("city", ""),
            ["city of a region that is none"] = issuer.Token("city", "4201';--"),
            ["county-level city"] = issuer.Token("city", "429004"),
            ["two roles"] = issuer.Token(["city", "province"], records.Region),
            ["no role"] = issuer.Token([], records.Region),
            ["unknown role"] = issuer.Token("mayor", records.Region),
            ["expired"] = issuer.Token("province", "420000", options: new TokenOptions(Lifetime: TimeSpan.FromMinutes(-5))),
            ["not yet valid"] = issuer.Token("province", "420000", options: new TokenOptions(Lifetime: TimeSpan.FromMinutes(30))),
            ["foreign key"] = issuer.Token("province", "420000", options: new TokenOptions(ForeignKey: true)),
            ["wrong audience"] = issuer.Token("province", "420000", options: new TokenOptions(Audience: "someone-else")),
            ["wrong issuer"] = issuer.Token("province", "420000", options: new TokenOptions(Issuer: "http://127.0.0.1:1/realms/evil")),
        };
    }

    /// <summary>One request to send: through HttpClient, or as <see cref="Raw"/> bytes on a socket.</summary>
    private sealed record Probe(string Kind, string Method, string Target, (string Name, string Value)[] Headers, string? ContentType, byte[]? Body,
        byte[]? Raw = null)
    {
        /// <summary>
        /// A body over a limit may be refused while it is being sent, and the connection closed under it, and so may a large
        /// one whose request is refused before its body is read (a bad path: Kestrel then stops reading and closes); a body
        /// cut short ends with the client's half-close, after which Kestrel takes the client for gone. None may go
        /// unanswered for long.
        /// </summary>
        public bool MayGoUnanswered => Kind is "oversize form" or "oversize JSON" or "a long field" or "raw body cut short" or "just under the limit"
            or "long strings";
    }

    /// <summary>Draws malformed requests from <paramref name="random"/> alone, so that one seed gives one sequence.</summary>
    private sealed class Malformer(Random random, JsonElement document, Dictionary<string, string> tokens, string[] ids)
    {
        // Stands for bytes no string holds (invalid UTF-8, NUL): replaced after encoding.
        private const string RawBytes = "\uE000";
        private static readonly byte[][] BadBytes = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x00], [0x80], [0xF4, 0x90, 0x80, 0x80], [0x01, 0x1B]];
        private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "get"];
        private static readonly string[] JsonTypes =
        [
            "application/json; charset=utf-16", "application/json; charset=nope", "application/json;", "application/json; charset=\"", "text/json",
            "application/merge-patch+json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
            "*/*", "application/json, text/plain", ";;;", "application/problem+json", "application/json; charset=latin1",
        ];
        private static readonly string[] Numbers =
        [
            "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "1e400", "-1e400", "1e-400",
            "1.5", "123456789012345678901234567890", "0.1e1", "1E+2", "NaN", "Infinity", "-Infinity", "01", "+1", ".5", "0x10",
        ];
        private readonly string[] strings =
        [
            "", " ", "\0", "a\0b", "\ud800", "\udfff\ud800", "' OR 1=1 --", "<script>alert(1)</script>", "企业", "𠀀𠀁", "\n\r\t", "\u202e\u200b",
            "2026-02-30", "9999-12-31", "0000-01-01", "2026-13-01", "26-1-1", "-1", "420100", "000000", "NaN", "1e400", "null", "../../etc/passwd",
            "%00", "${jndi:ldap://x}", "{{7*7}}", RawBytes, $"a{RawBytes}b", new string('x', 5_000), new string('厂', 20_000), .. ids,
        ];
        private int giants; // bodies over 60 MiB are costly: a few per run

        public Probe Draw(OpenApiRoute route)
        {
            var target = Target(route);
            var method = random.Next(14) == 0 ? Pick(Methods) : route.Method;
            var headers = Headers();
            if (random.Next(12) == 0) return RawProbe(route, method, target);
            var (kind, contentType, body) = route.BodyType switch
            {
                "application/json" => JsonBody(route.BodySchema!.Value),
                "multipart/form-data" => FormBody(),
                _ => random.Next(6) == 0 ? ("body on a route without one", Pick(JsonTypes), Encode("{\"a\":1}")) : ("no body", null, null),
            };
            return new Probe(kind, method, target, headers, contentType, body);
        }

        private string Target(OpenApiRoute route)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route.Template, @"\{[^}]+\}", _ => PathValue());
            var query = new List<string>();
            foreach (var name in route.Query)
                if (random.Next(2) == 0) query.Add($"{name}={QueryValue()}");
            if (random.Next(6) == 0) query.Add(Pick(["foo=bar", "pageSize=1&pageSize=2", "=&&=", "%%%", "a=%zz", "pageSize[]=1", "includeDrafts=true&includeDrafts=false",
                $"x={new string('q', 3_000)}", "%E0%A4%A=1"]));
            return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        }

        private string PathValue() => random.Next(12) switch
        {
            0 or 1 => Pick(ids),
            2 => new Guid(Bytes(16)).ToString(),
            3 => new Guid(Bytes(16)).ToString("B").ToUpperInvariant(),
            4 => new string('a', random.Next(200, 3_000)),
            _ => Pick(["not-a-guid", "0", "-1", "null", "undefined", "%00", "%2F", "..%2F..%2Fhealth%2Flive", "%252F", "%E4%BD%A0%E5%A5%BD", "%FF%FE",
                "%C0%AF", "%20", "'%3B%20DROP%20TABLE%20x%3B--", "%0D%0AX-Injected:%201", "%", "%zz", "a%2Fb", ".", "..", "%2E%2E"]),
        };

        private string QueryValue() => random.Next(8) switch
        {
            0 => Uri.EscapeDataString(Pick(strings).Replace(RawBytes, "")),
            1 => Pick(ids),
            _ => Pick(["", "abc", "-1", "0", "1", "100", "101", "2147483648", "99999999999999999999", "1e5", "0x10", "%201", "1.5", "true", "TRUE", "maybe",
                "%00", "%FF", "%E4%BD%A0", new string('9', 4_000), "..%2F..", "null", "[]", "{}", "%3Cscript%3E", "basic", "pending_publicity", "BASIC",
                "active%00"]),
        };

        private (string, string)[] Headers()
        {
            var headers = new List<(string, string)>();
            var token = random.Next(10) switch
            {
                0 or 1 => null,
                3 => Pick(["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a.b.c", "Bearer ...", "Negotiate abc", "Bearer " + Convert.ToBase64String(Bytes(300)),
                    "Bearer " + new string('x', 12_000), "Bearer eyJhbGciOiJub25lIn0.eyJyZWFsbV9hY2Nlc3MiOnsicm9sZXMiOlsicHJvdmluY2UiXX0sInJlZ2lvbiI6IjQyMDAwMCJ9."]),
                4 => "Bearer " + Garble(Pick(tokens.Values.ToArray())),
                5 => "bearer " + Pick(tokens.Values.ToArray()),
                _ => "Bearer " + Pick(tokens.Values.ToArray()),
            };
            if (token is not null) headers.Add(("Authorization", token));
            if (random.Next(15) == 0) headers.Add(("Authorization", "Bearer " + Pick(tokens.Values.ToArray())));
            for (var i = random.Next(4); i > 0; i--)
                headers.Add(Pick<(string, string)>(
                [
                    ("Accept", "text/html"), ("Accept", "application/xml"), ("Accept", "*/*;q=abc"), ("Accept-Charset", "utf-7"), ("Accept-Encoding", "gzip, br, zstd"),
                    ("Content-Encoding", "gzip"), ("X-Forwarded-For", "not-an-ip"), ("X-Forwarded-For", "1.2.3.4, , ::ffff:1.2.3.4"), ("X-Forwarded-Proto", "gopher"),
                    ("X-Forwarded-Host", "evil.example"), ("Idempotency-Key", new string('k', 5_000)), ("Idempotency-Key", ""), ("Idempotency-Key", "a, b"),
                    ("traceparent", "garbage"), ("traceparent", "00-00000000000000000000000000000000-0000000000000000-00"), ("tracestate", new string('t', 4_000)),
                    ("Origin", "null"), ("Cookie", "a=b; c"), ("Range", "bytes=0-1"), ("If-None-Match", "*"), ("Expect", "100-continue"),
                    ("X-HTTP-Method-Override", "DELETE"), ("grpc-timeout", "1n"), ("TE", "trailers"), ("User-Agent", new string('u', 8_000)),
                    ("X-Padding", new string('p', 20_000)), ("Content-Type", "application/json"), ("Connection", "close"),
                ]));
            return [.. headers];
        }

        private (string, string?, byte[]) JsonBody(JsonElement schema)
        {
            var contentType = random.Next(4) == 0 ? Pick(JsonTypes) : "application/json";
            var shaped = new StringBuilder();
            Write(shaped, schema, 0);
            var text = shaped.ToString();
            return random.Next(16) switch
            {
                <= 4 => ("shaped", contentType, Encode(text)),
                5 => ("truncated", contentType, Encode(text[..random.Next(text.Length)])),
                6 => ("odd top level", contentType, Encode(Pick(["[]", "\"x\"", "1", "null", "true", "", " ", "[{}]", "{\"\":\"\"}", "{}{}", "\uFEFF{}"]))),
                7 => ("deep", contentType, Encode(Deep(random.Next(60, 5_000)))),
                8 => ("raw bytes in strings", contentType, Encode(text.Replace("\"", "\"" + RawBytes))),
                9 => ("long strings", contentType, Encode($"{{\"name\":\"{new string('厂', random.Next(1_000, 340_000))}\",\"title\":\"{new string('a', 100_000)}\"}}")),
                10 => ("not quite JSON", contentType, Encode(Pick([text + ",", text.Replace("\"", "'"), text.Replace(":", ":/*c*/"),
                    "{\"expectedVersion\":1,\"expectedVersion\":\"x\"}", "{\"a\":1,}", "{\"a\" 1}", "{\"\\uZZZZ\":1}", "{\"a\":\"\\x41\"}"]))),
                11 => ("utf-16", contentType, Encoding.Unicode.GetBytes(text)),
                12 => random.Next(8) == 0
                    ? ("oversize JSON", contentType, Encode($"{{\"name\":\"{new string('a', random.Next(1_100_000, 2_500_000))}\"}}"))
                    : ("just under the limit", contentType, Encode($"{{\"name\":\"{new string('a', 1_040_000)}\"}}")),
                13 => ("random bytes", contentType, Bytes(random.Next(2_000))),
                14 => ("empty", contentType, []),
                _ => ("NUL bytes", contentType, [.. Encode(text).Select(b => b == (byte)',' ? (byte)0 : b)]),
            };
        }

        /// <summary>A value of the schema's shape, one time in four of another shape or an extreme of it.</summary>
        private void Write(StringBuilder json, JsonElement schema, int depth)
        {
            schema = OpenApiRoute.Resolve(document, schema);
            if (depth > 4 || random.Next(4) == 0)
            {
                json.Append(random.Next(3) switch { 0 => Pick(Numbers), 1 => Quote(Pick(strings)), _ => Pick(["null", "true", "false", "[]", "{}", "[1,\"a\",null]"]) });
                return;
            }
            if (schema.TryGetProperty("enum", out var values))
            {
                json.Append(random.Next(3) == 0 ? Quote(Pick(["", "UNSPECIFIED", "unspecified", "Basic", "approve ", "0"])) : values[random.Next(values.GetArrayLength())].GetRawText());
                return;
            }
            switch (OpenApiRoute.Type(schema))
            {
                case "object":
                    json.Append('{');
                    var first = true;
                    var properties = schema.TryGetProperty("properties", out var listed) ? listed.EnumerateObject().ToList() : [];
                    foreach (var property in properties)
                    {
                        if (random.Next(6) == 0) continue;
                        if (!first) json.Append(',');
                        first = false;
                        json.Append(Quote(property.Name)).Append(':');
                        Write(json, property.Value, depth + 1);
                    }
                    json.Append('}');
                    break;
                case "array":
                    json.Append('[');
                    for (var i = random.Next(random.Next(8) == 0 ? 300 : 4); i > 0; i--)
                    {
                        Write(json, schema.TryGetProperty("items", out var items) ? items : default, depth + 1);
                        if (i > 1) json.Append(',');
                    }
                    json.Append(']');
                    break;
                case "integer" or "number": json.Append(Pick(Numbers)); break;
                case "boolean": json.Append(Pick(["true", "false", "\"true\"", "1"])); break;
                default:
                    json.Append(schema.TryGetProperty("format", out var format) && format.GetString() == "date" && random.Next(2) == 0
                        ? Quote(Pick(["2026-02-30", "2026-07-01", "1900-01-01", "9999-12-31", "2026-7-1", "20260701", "2026-07-01T00:00:00Z", ""]))
                        : Quote(Pick(strings)));
                    break;
            }
        }

        private (string, string?, byte[]) FormBody()
        {
            var boundary = random.Next(10) == 0 ? new string('b', 100) : "sf" + random.Next(1_000_000);
            var contentType = random.Next(5) == 0
                ? Pick(["multipart/form-data", "multipart/form-data; boundary=", $"multipart/form-data; boundary=\"{boundary}\"", $"multipart/mixed; boundary={boundary}",
                    $"multipart/form-data; boundary={boundary}; charset=utf-16", "application/x-www-form-urlencoded", "application/json", "text/plain",
                    $"multipart/form-data; boundary={boundary}; boundary=other", $"MULTIPART/FORM-DATA; BOUNDARY={boundary}"])
                : $"multipart/form-data; boundary={boundary}";
            var form = new StringBuilder();
            void Part(string headers, string content) => form.Append($"--{boundary}\r\n{headers}\r\n\r\n{content}\r\n");
            foreach (var field in new[] { "itemId", "objectorName", "contactPhone", "organisation", "grounds", "itemId" })
                if (random.Next(3) != 0) Part($"Content-Disposition: form-data; name=\"{field}\"", field == "itemId" && random.Next(2) == 0 ? Pick(ids) : Pick(strings));
            for (var i = random.Next(random.Next(4) == 0 ? 8 : 3); i > 0; i--)
                Part($"Content-Disposition: form-data; name=\"{Pick(["evidence", "evidence", "file", ""])}\"; filename=\"{Pick(["a.pdf", "", "../../etc/passwd", "名字.pdf", "a\"b.pdf", RawBytes, new string('n', 2_000)])}\"\r\n" +
                    $"Content-Type: {Pick(["application/pdf", "image/png", "image/jpeg", "text/html", "application/octet-stream", "", "x/y; z", "application/pdf; charset=\u0000"])}",
                    Pick(["%PDF-1.4\n%%EOF", "\u0089PNG\r\n\u001a\n", "", "<html>", RawBytes + RawBytes, new string('\0', 1_000)]));
            var tail = $"--{boundary}--\r\n";
            return random.Next(12) switch
            {
                <= 4 => ("form", contentType, Encode(form + tail)),
                5 => ("truncated form", contentType, Encode((form + tail)[..random.Next(form.Length + tail.Length)])),
                6 => ("form without its closing boundary", contentType, Encode(form.ToString())),
                7 => ("odd part headers", contentType, Encode(Pick([$"--{boundary}\r\nX: y\r\n\r\nz\r\n{tail}", $"--{boundary}\r\nContent-Disposition: form-data; name=\r\n\r\nz\r\n{tail}",
                    $"--{boundary}\nContent-Disposition: form-data; name=\"a\"\n\nz\n--{boundary}--\n", $"--{boundary}\r\nContent-Disposition: {new string('h', 20_000)}\r\n\r\nz\r\n{tail}",
                    $"--{boundary}\r\n\r\n\r\n{tail}", $"--{boundary}--", "--", "\r\n", $"preamble\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nz\r\n{tail}epilogue"]))),
                8 => ("many fields", contentType, Encode(string.Concat(Enumerable.Range(0, 1_500).Select(i => $"--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n{i}\r\n")) + tail)),
                9 => ("a long field", contentType, Encode($"--{boundary}\r\nContent-Disposition: form-data; name=\"grounds\"\r\n\r\n{new string('异', random.Next(100_000, 2_000_000))}\r\n{tail}")),
                10 => ("not a form", contentType, Pick([Encode("{\"itemId\":\"x\"}"), Encode("itemId=x&objectorName=%ZZ"), Bytes(random.Next(3_000))])),
                _ when giants < 2 && random.Next(4) == 0 => ("oversize form", contentType, Giant(boundary)),
                _ => ("form", contentType, Encode(form + tail)),
            };
        }

        private byte[] Giant(string boundary)
        {
            giants++;
            var head = Encode($"--{boundary}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n");
            var body = new byte[61 * 1024 * 1024];
            head.CopyTo(body, 0);
            return body;
        }

        /// <summary>What no HTTP client sends: a broken request line, bytes outside ASCII in headers, broken framing, a body cut short.</summary>
        private Probe RawProbe(OpenApiRoute route, string method, string target)
        {
            var token = Pick(tokens.Values.ToArray());
            var json = "{\"expectedVersion\":1,\"name\":\"企业\"}";
            var (kind, text) = random.Next(9) switch
            {
                0 => ("request line", Pick([$"{method}  {target} HTTP/1.1\r\nHost: x\r\n\r\n", $"{method} {target} HTTP/1.2\r\nHost: x\r\n\r\n", $"{method} {target}\r\n\r\n",
                    $"{method} {target} HTTP/1.1 extra\r\nHost: x\r\n\r\n", $"{method} {target}{RawBytes} HTTP/1.1\r\nHost: x\r\n\r\n", $"{method} {target} HTTP/1.0\r\n\r\n"])),
                1 => ("path bytes", $"{method} {Pick([target + "/é", target + " x", target.Replace("/api", "//api"), "http://evil.example" + target, "*", target.TrimStart('/'),
                    target + "/" + RawBytes, target + "#frag", target.Replace("v1", "v1/../v1")])} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n"),
                2 => ("header bytes", $"{method} {target} HTTP/1.1\r\nHost: x\r\n{Pick([$"Authorization: Bearer 令牌", "Idempotency-Key: 钥匙", "X-Forwarded-For: ü",
                    $"X-A: a{RawBytes}b", "NoColon", "Host : x", "X-A: a\r\n b", "X(A): 1", $"Authorization: Bearer {token}{RawBytes}", ": empty"])}\r\n\r\n"),
                3 => ("content length", $"{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n" +
                    $"{Pick(["Content-Length: abc", "Content-Length: -1", "Content-Length: 1, 2", "Content-Length: 5\r\nContent-Length: 6",
                        "Content-Length: 99999999999999999999", $"Content-Length: {json.Length}\r\nTransfer-Encoding: chunked"])}\r\n\r\n{json}"),
                4 => ("chunks", $"{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: " +
                    Pick(["chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nabc", "chunked\r\n\r\n5\r\n{\"a\":", "chunked\r\n\r\n5;\0\r\n{}   \r\n0\r\n\r\n",
                        "chunked, gzip\r\n\r\n0\r\n\r\n", "identity\r\n\r\n{}", "chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n"])),
                5 => ("body cut short", $"{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n" +
                    $"Content-Type: {(route.BodyType == "multipart/form-data" ? "multipart/form-data; boundary=b" : "application/json")}\r\nContent-Length: 1000\r\n\r\n" +
                    (route.BodyType == "multipart/form-data" ? "--b\r\nContent-Disposition: form-data; name=\"itemId\"\r\n\r\nx" : json[..10])),
                6 => ("host", $"{method} {target} HTTP/1.1\r\n{Pick(["", "Host: a\r\nHost: b\r\n", "Host: a b\r\n", "Host: [::1\r\n", $"Host: {new string('h', 5_000)}\r\n"])}\r\n"),
                7 => ("pipelined", $"{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Length: 0\r\n\r\nGET /health/live HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n"),
                _ => ("valid token, raw", $"{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: " +
                    $"{Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}"),
            };
            // Kestrel closes the connection after the answer; a body cut short ends with the client's half-close instead.
            if (kind != "body cut short") text = text.Insert(text.IndexOf("\r\n", StringComparison.Ordinal) + 2, "Connection: close\r\n");
            return new Probe("raw " + kind, method, target, [], null, null, Encode(text));
        }

        private static string Deep(int depth) => depth % 2 == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

        private string Garble(string token) => random.Next(4) switch
        {
            0 => token[..random.Next(token.Length)],
            1 => token.Remove(token.Length - 5, 1).Insert(token.Length - 5, token[^5] == 'A' ? "B" : "A"),
            2 => string.Join('.', token.Split('.').Reverse()),
            _ => token.Replace('.', '_'),
        };

        private string Quote(string value) => JsonSerializer.Serialize(value, Relaxed);

        /// <summary>UTF-8, with each <see cref="RawBytes"/> marker replaced by bytes that are not UTF-8 or are NUL.</summary>
        private byte[] Encode(string text)
        {
            var marker = Encoding.UTF8.GetBytes(RawBytes);
            var encoded = Encoding.UTF8.GetBytes(text);
            if (!text.Contains(RawBytes, StringComparison.Ordinal)) return encoded;
            var result = new List<byte>(encoded.Length);
            for (var i = 0; i < encoded.Length; i++)
            {
                if (encoded.AsSpan(i).StartsWith(marker)) { result.AddRange(Pick(BadBytes)); i += marker.Length - 1; }
                else result.Add(encoded[i]);
            }
            return [.. result];
        }

        private byte[] Bytes(int count)
        {
            var bytes = new byte[count];
            random.NextBytes(bytes);
            return bytes;
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }
}
