using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmartFactory.Contracts.Notices.V1;

namespace SmartFactory.Gateway.Tests;

/// <summary>
/// A request the gateway cannot read is the caller's 4xx problem naming what is wrong, in every environment; anything
/// unexpected is a 500 that shows nothing of the inside and is logged under the trace id the problem carries.
/// </summary>
public class ProblemTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static async Task<(HttpResponseMessage Response, JsonElement Problem, string Text)> Problem(HttpClient http, HttpRequestMessage request,
        HttpStatusCode status)
    {
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        return (response, problem, text);
    }

    private static HttpRequestMessage Raw(HttpMethod method, string path, string contentType, byte[] body, string? token = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>The fixture's services behind a gateway in Production (no developer pages), with services of the test's.</summary>
    private GatewayWith Production(Action<IServiceCollection>? services = null)
    {
        var settings = fixture.SettingsWithoutDevelopmentKey();
        settings["Services:Registry"] = fixture.Registry.GrpcAddress.ToString();
        settings["Services:Notices"] = fixture.Notices.GrpcAddress.ToString();
        return new GatewayWith(settings, services ?? (_ => { }));
    }

    [Fact]
    public async Task A_multipart_body_that_is_no_form_is_a_400_naming_the_body()
    {
        // Issue 7's case: this answered 500 with a stack trace.
        var (_, problem, text) = await Problem(fixture.Http, Raw(HttpMethod.Post, $"/api/v1/notices/{Guid.NewGuid()}/objections",
            "multipart/form-data; boundary=x", "{"u8.ToArray()), HttpStatusCode.BadRequest);
        Assert.Equal(["body"], GatewayFixture.Fields(problem));
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(" at ", text);

        var unnamed = await Problem(fixture.Http, Raw(HttpMethod.Post, $"/api/v1/notices/{Guid.NewGuid()}/objections", "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; filename=\"a.pdf\"\r\n\r\n%PDF\r\n--x--\r\n"u8.ToArray()), HttpStatusCode.BadRequest);
        Assert.Equal(["body"], GatewayFixture.Fields(unnamed.Problem));
        var misnamed = await Problem(fixture.Http, Raw(HttpMethod.Post, $"/api/v1/notices/{Guid.NewGuid()}/objections", "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; name=\"proof\"; filename=\"a.pdf\"\r\n\r\n%PDF\r\n--x--\r\n"u8.ToArray()), HttpStatusCode.BadRequest);
        Assert.Equal(["proof"], GatewayFixture.Fields(misnamed.Problem));
    }

    [Fact]
    public async Task Broken_json_names_the_body_and_a_wrong_type_names_its_field()
    {
        var broken = await Problem(fixture.Http, Raw(HttpMethod.Post, "/api/v1/enterprises", "application/json", "{\"name\": \"企业"u8.ToArray(),
            fixture.Province), HttpStatusCode.BadRequest);
        Assert.Equal(["body"], GatewayFixture.Fields(broken.Problem));
        Assert.Contains("is not well-formed JSON", broken.Problem.GetProperty("detail").GetString());

        var deep = await Problem(fixture.Http, Raw(HttpMethod.Post, "/api/v1/enterprises", "application/json",
            Encoding.UTF8.GetBytes(new string('[', 1000) + new string(']', 1000)), fixture.Province), HttpStatusCode.BadRequest);
        Assert.Equal(["body"], GatewayFixture.Fields(deep.Problem));

        var wrongType = await Problem(fixture.Http, Raw(HttpMethod.Post, "/api/v1/applications", "application/json",
            """{"kpis": [{"kpiId": "K01", "value": "high"}]}"""u8.ToArray(), fixture.Province), HttpStatusCode.BadRequest);
        Assert.Equal(["kpis[0].value"], GatewayFixture.Fields(wrongType.Problem));
    }

    [Fact]
    public async Task A_query_value_with_a_control_character_is_a_400_naming_it_before_a_service_fails_on_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/factories?regionCode=420100&nameContains=%E5%8E%82%00");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Province);
        var (_, problem, _) = await Problem(fixture.Http, request, HttpStatusCode.BadRequest);
        Assert.Equal(["nameContains"], GatewayFixture.Fields(problem));
    }

    [Fact]
    public async Task A_chunk_size_that_overflows_is_a_400()
    {
        // Kestrel tells of this one with a bare IOException rather than a bad request.
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Gateway.HttpPort);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"POST /api/v1/enterprises HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
            $"Authorization: Bearer {fixture.Province}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n{{}}"));
        using var reader = new StreamReader(new System.Net.Sockets.NetworkStream(socket));
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 400 ", answer);
        Assert.Contains("application/problem+json", answer);
    }

    [Fact]
    public async Task A_json_body_over_a_mebibyte_is_a_413_before_any_service_sees_it()
    {
        var body = Encoding.UTF8.GetBytes($"{{\"name\": \"{new string('厂', 400_000)}\"}}");
        var request = Raw(HttpMethod.Post, "/api/v1/enterprises", "application/json", body, fixture.Province);
        // The answer comes before the body is read: without waiting for it the client may still be sending when the
        // gateway closes the connection, and see a broken pipe instead of the 413.
        request.Headers.ExpectContinue = true;
        var (_, problem, _) = await Problem(fixture.Http, request, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("the body may be at most 1 MiB", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_form_over_the_objection_routes_60_MiB_is_a_413_naming_the_limit()
    {
        var request = Raw(HttpMethod.Post, $"/api/v1/notices/{Guid.NewGuid()}/objections", "multipart/form-data; boundary=x", new byte[61 * 1024 * 1024]);
        request.Headers.ExpectContinue = true; // the answer comes before the body is sent
        var (_, problem, _) = await Problem(fixture.Http, request, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("the body may be at most 60 MiB", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_frameworks_empty_refusals_say_what_is_wrong()
    {
        foreach (var (method, path, status) in new[] { ("GET", "/api/v1/factories", 401), ("GET", "/api/v1/nowhere", 404), ("DELETE", "/api/v1/factories", 405) })
        {
            var (_, problem, _) = await Problem(fixture.Http, new HttpRequestMessage(new HttpMethod(method), path), (HttpStatusCode)status);
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        }
        var text = await Problem(fixture.Http, Raw(HttpMethod.Post, "/api/v1/enterprises", "text/plain", "{}"u8.ToArray(), fixture.Province),
            HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("content type", text.Problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Outside_development_a_query_value_of_the_wrong_type_names_its_parameter()
    {
        await using var gateway = Production();
        using var http = gateway.CreateClient();
        foreach (var (query, field) in new[] { ("pageSize=abc", "pageSize"), ("pageSize=99999999999", "pageSize"), ("includeDrafts=maybe", "includeDrafts") })
        {
            var (_, problem, text) = await Problem(http, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/notices?{query}"), HttpStatusCode.BadRequest);
            Assert.Equal([field], GatewayFixture.Fields(problem));
            Assert.DoesNotContain("Nullable", text);
        }
    }

    [Fact]
    public async Task Every_problem_carries_the_requests_w3c_trace_id_whatever_the_client_accepts()
    {
        var traceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        foreach (var path in new[] { "/api/v1/factories", "/api/v1/nowhere", $"/api/v1/notices/{Guid.NewGuid()}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("traceparent", $"00-{traceId}-{traceId[..16]}-01");
            request.Headers.Accept.ParseAdd("text/html"); // the framework's writer would answer text/plain
            var (_, problem, _) = await Problem(fixture.Http, request, path == "/api/v1/factories" ? HttpStatusCode.Unauthorized : HttpStatusCode.NotFound);
            Assert.Equal(traceId, problem.GetProperty("traceId").GetString());
        }
    }

    [Fact]
    public async Task Anything_unexpected_is_a_500_that_shows_nothing_and_is_logged_with_the_trace_id()
    {
        var logs = new CapturedLogs();
        await using var gateway = Production(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            // A client whose call fails as no gRPC call does, with words that must stay inside.
            services.AddSingleton(new NoticesService.NoticesServiceClient(new FailingInvoker()));
        });
        using var http = gateway.CreateClient();
        var (_, problem, text) = await Problem(http, new HttpRequestMessage(HttpMethod.Get, "/api/v1/notices"), HttpStatusCode.InternalServerError);
        foreach (var secret in new[] { FailingInvoker.Secret, nameof(InvalidOperationException), "FailingInvoker", " at " })
            Assert.DoesNotContain(secret, text);
        var traceId = problem.GetProperty("traceId").GetString()!;
        var logged = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(traceId));
        Assert.Contains(FailingInvoker.Secret, logged.Exception?.Message);
    }

    private sealed class GatewayWith(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services);
        }
    }

    private sealed class FailingInvoker : CallInvoker
    {
        public const string Secret = "Host=10.9.8.7;Password=hunter2";

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host,
            CallOptions options, TRequest request) => throw new InvalidOperationException($"the pool for {Secret} is exhausted");

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options,
            TRequest request) => throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method,
            string? host, CallOptions options, TRequest request) => throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method,
            string? host, CallOptions options) => throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method,
            string? host, CallOptions options) => throw new NotSupportedException();
    }

    private sealed class CapturedLogs : ILoggerProvider, ILogger
    {
        public ConcurrentBag<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));

        public void Dispose() { }
    }
}
