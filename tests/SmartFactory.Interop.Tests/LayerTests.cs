using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SmartFactory.Grpc;
using SmartFactory.Interop.Tests.Protos;

namespace SmartFactory.Interop.Tests;

/// <summary>The pieces of the layer: wire helpers, server checks, and the client against our own server or a stub.</summary>
public sealed class LayerTests(OurServerFixture server) : IClassFixture<OurServerFixture>
{
    [Theory]
    [InlineData("2H", 2 * TimeSpan.TicksPerHour)]
    [InlineData("3M", 3 * TimeSpan.TicksPerMinute)]
    [InlineData("5S", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("4970m", 4970 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1500u", 15_000)]
    [InlineData("99999999n", 999_999)]
    [InlineData("99999999H", 99_999_999 * TimeSpan.TicksPerHour)]
    public void Grpc_timeout_parses_every_unit(string value, long ticks)
    {
        Assert.True(GrpcProtocol.TryParseTimeout(value, out var timeout));
        Assert.Equal(TimeSpan.FromTicks(ticks), timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("5")]
    [InlineData("123456789S")]
    [InlineData("5s")]
    [InlineData("-5S")]
    [InlineData("1.5S")]
    public void Grpc_timeout_rejects_malformed_values(string value) => Assert.False(GrpcProtocol.TryParseTimeout(value, out _));

    [Theory]
    [InlineData(300, "300000u")]
    [InlineData(250_000, "250000m")]
    [InlineData(200_000_000, "200000S")]
    public void Grpc_timeout_is_formatted_in_at_most_eight_digits(long milliseconds, string expected) =>
        Assert.Equal(expected, GrpcProtocol.FormatTimeout(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("100% wrong", "100%25 wrong")]
    [InlineData("名称\n", "%E5%90%8D%E7%A7%B0%0A")]
    public void Grpc_message_percent_encoding_round_trips(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcProtocol.PercentEncode(message));
        Assert.Equal(message, GrpcProtocol.PercentDecode(encoded));
    }

    [Theory]
    [InlineData("100%", "100%")]
    [InlineData("%zz%4", "%zz%4")]
    public void Grpc_message_decoding_is_lenient(string encoded, string decoded) => Assert.Equal(decoded, GrpcProtocol.PercentDecode(encoded));

    [Fact]
    public void Startup_fails_when_a_service_lacks_a_proto_method()
    {
        using var app = WebApplication.CreateSlimBuilder().Build();
        var error = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<EchoOnlyService>(Descriptors.Interop));
        Assert.Contains("smartfactory.interop.v1.Interop.Fail", error.Message);
    }

    [Fact]
    public void Startup_fails_for_client_streaming_methods()
    {
        using var app = WebApplication.CreateSlimBuilder().Build();
        var error = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<NothingService>(Descriptors.Unimplemented));
        Assert.Contains("smartfactory.interop.v1.Unimplemented.Upload", error.Message);
    }

    [Fact]
    public async Task Compressed_message_is_unimplemented()
    {
        var (response, status, message) = await SendRawAsync(server.Http, "/smartfactory.interop.v1.Interop/Echo", Frame(1, [0x0A, 0x01, 0x41]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("12", "compression is not supported"), (status, message));
        Assert.True(response.Headers.Contains("grpc-status"), "an error before any message is trailers-only");
    }

    [Fact]
    public async Task Malformed_message_is_internal()
    {
        var (_, status, _) = await SendRawAsync(server.Http, "/smartfactory.interop.v1.Interop/Echo", Frame(0, [0x0A, 0x05, 0x41]));
        Assert.Equal("13", status);
    }

    [Fact]
    public async Task Non_grpc_content_type_is_415()
    {
        var (response, _, _) = await SendRawAsync(server.Http, "/smartfactory.interop.v1.Interop/Echo", Frame(0, []), "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var (accepted, status, _) = await SendRawAsync(server.Http, "/smartfactory.interop.v1.Interop/Echo", Frame(0, []), "application/grpc+proto; charset=utf-8");
        Assert.Equal((HttpStatusCode.OK, "0"), (accepted.StatusCode, status));
    }

    [Fact]
    public async Task Fallback_answers_grpc_requests_only()
    {
        var (grpc, status, _) = await SendRawAsync(server.Http, "/smartfactory.interop.v1.Interop/Nope", Frame(0, []));
        Assert.Equal((HttpStatusCode.OK, "12"), (grpc.StatusCode, status));
        var (json, _, _) = await SendRawAsync(server.Http, "/api/orders", Frame(0, []), "application/json");
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
    }

    [Fact]
    public async Task Http1_request_is_refused()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Http1Port}") };
        var (response, _, _) = await SendRawAsync(http, "/smartfactory.interop.v1.Interop/Echo", Frame(0, []), version: HttpVersion.Version11);
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_and_cancels_the_service()
    {
        var key = Guid.NewGuid().ToString();
        var watch = Stopwatch.StartNew();
        var (_, status, _) = await SendRawAsync(server.Http, "/smartfactory.interop.v1.Interop/Sleep",
            Frame(0, new SleepRequest { Ms = 5000, Key = key }.ToByteArray()), timeout: "200m");
        Assert.Equal("4", status);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(4)); // well short of the 5 s sleep
        await server.Probe.SleepCancelled(key).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Client_cancellation_cancels_the_service()
    {
        var key = Guid.NewGuid().ToString();
        using var cancel = new CancellationTokenSource();
        var call = server.Client().UnaryAsync<SleepRequest, SleepReply>(
            Descriptors.Method("Sleep"), new SleepRequest { Ms = 5000, Key = key }, new CallOptions(CancellationToken: cancel.Token));
        // Cancel once the service is running: on a loaded machine a fixed delay may cancel before the request arrives.
        await server.Probe.SleepStarted(key).WaitAsync(TimeSpan.FromSeconds(5));
        cancel.Cancel();
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, error.Status);
        await server.Probe.SleepCancelled(key).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Our_client_and_server_agree_on_streams_details_and_metadata()
    {
        var client = server.Client();
        var count = 0;
        await foreach (var reply in client.ServerStreamingAsync<CountRequest, CountReply>(Descriptors.Method("Count"), new CountRequest { N = 500 }))
            Assert.Equal(count++, reply.Value);
        Assert.Equal(500, count);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<FailRequest, EchoReply>(Descriptors.Method("Fail"), new FailRequest()));
        Assert.Equal((StatusCode.InvalidArgument, InteropService.FailMessage, 2), (error.Status, error.Message, error.FieldViolations.Count));

        var headers = new Metadata { { "x-blob-bin", new byte[] { 1, 2, 3, 4 } } };
        var echoed = await client.UnaryAsync<MetadataRequest, MetadataReply>(Descriptors.Method("EchoMetadata"), new MetadataRequest(), new CallOptions(headers));
        Assert.Equal([1, 2, 3, 4], echoed.Entries.Single(e => e.Key == "x-blob-bin").Binary.ToByteArray());
    }

    [Fact]
    public async Task Oversized_messages_are_resource_exhausted_on_both_sides()
    {
        var sent = await Assert.ThrowsAsync<RpcException>(() => server.Client().UnaryAsync<EchoRequest, EchoReply>(
            Descriptors.Method("Echo"), new EchoRequest { ReplyPadding = 5 * 1024 * 1024 }));
        Assert.Equal(StatusCode.ResourceExhausted, sent.Status);
        var received = await Assert.ThrowsAsync<RpcException>(() => server.Client(new GrpcClientOptions { MaxReceiveMessageSize = 1024 })
            .UnaryAsync<EchoRequest, EchoReply>(Descriptors.Method("Echo"), new EchoRequest { ReplyPadding = 2048 }));
        Assert.Equal(StatusCode.ResourceExhausted, received.Status);
    }

    [Fact]
    public async Task Domain_exceptions_are_mapped_and_others_are_hidden_and_logged()
    {
        var client = server.Client();
        var notFound = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<FailRequest, EchoReply>(Descriptors.Method("Fail"), new FailRequest { Mode = "notfound" }));
        Assert.Equal(StatusCode.NotFound, notFound.Status);
        var crash = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<FailRequest, EchoReply>(Descriptors.Method("Fail"), new FailRequest { Mode = "crash" }));
        Assert.Equal(StatusCode.Internal, crash.Status);
        Assert.DoesNotContain("secret", crash.Message);
        Assert.Contains(server.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "secret connection string");
    }

    [Fact]
    public async Task Client_sends_http2_grpc_headers()
    {
        var handler = new StubHandler(_ => Trailers(HttpStatusCode.OK, "0"));
        var client = new GrpcClient(new HttpClient(handler) { BaseAddress = new Uri("http://stub") });
        var headers = new Metadata { { "x-blob-bin", new byte[] { 1, 2, 3, 4 } } };
        await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<EchoRequest, EchoReply>(Descriptors.Method("Echo"), new EchoRequest(),
            new CallOptions(headers, DateTime.UtcNow.AddSeconds(10))));
        var request = handler.Requests.Single();
        Assert.Equal((HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact), (request.Version, request.VersionPolicy));
        Assert.Equal("/smartfactory.interop.v1.Interop/Echo", request.RequestUri!.AbsolutePath);
        Assert.Equal("application/grpc", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("trailers", request.Headers.TE.Single().Value);
        Assert.True(GrpcProtocol.TryParseTimeout(request.Headers.GetValues("grpc-timeout").Single(), out var timeout));
        Assert.InRange(timeout, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)); // what is left of a 10 s deadline
        Assert.Equal("AQIDBA", request.Headers.GetValues("x-blob-bin").Single());
    }

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    public async Task Http_status_maps_to_grpc_status(int http, StatusCode expected)
    {
        var client = new GrpcClient(new HttpClient(new StubHandler(_ => new HttpResponseMessage((HttpStatusCode)http))) { BaseAddress = new Uri("http://stub") },
            new GrpcClientOptions { MaxRetryAttempts = 0 });
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<EchoRequest, EchoReply>(Descriptors.Method("Echo"), new EchoRequest()));
        Assert.Equal(expected, error.Status);
    }

    [Theory]
    [InlineData("Echo", 4)]
    [InlineData("Mutate", 1)]
    public async Task Only_idempotent_methods_are_retried(string method, int attempts)
    {
        var handler = new StubHandler(_ => Trailers(HttpStatusCode.OK, "14"));
        var client = new GrpcClient(new HttpClient(handler) { BaseAddress = new Uri("http://stub") }, new GrpcClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<EchoRequest, EchoReply>(Descriptors.Method(method), new EchoRequest()));
        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal(attempts, handler.Requests.Count);
    }

    [Fact]
    public async Task Retries_never_outlast_the_deadline()
    {
        var handler = new StubHandler(_ => Trailers(HttpStatusCode.OK, "14"));
        var client = new GrpcClient(new HttpClient(handler) { BaseAddress = new Uri("http://stub") }, new GrpcClientOptions { RetryBaseDelay = TimeSpan.FromSeconds(5) });
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<EchoRequest, EchoReply>(
            Descriptors.Method("Echo"), new EchoRequest(), new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(200))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(4));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Connection_failure_is_unavailable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var http = Descriptors.HttpClientFor(port);
        var error = await Assert.ThrowsAsync<RpcException>(() => new GrpcClient(http).UnaryAsync<FlakyRequest, FlakyReply>(Descriptors.Method("Mutate"), new FlakyRequest()));
        Assert.Equal(StatusCode.Unavailable, error.Status);
    }

    private static byte[] Frame(byte flag, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<(HttpResponseMessage Response, string? Status, string? Message)> SendRawAsync(HttpClient http, string path, byte[] body,
        string contentType = "application/grpc", string? timeout = null, Version? version = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = version ?? HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (timeout is not null) request.Headers.Add("grpc-timeout", timeout);
        var response = await http.SendAsync(request); // buffers the body, so trailers are in
        string? Get(string key) => (response.TrailingHeaders.TryGetValues(key, out var v) || response.Headers.TryGetValues(key, out v)) ? v.Single() : null;
        return (response, Get("grpc-status"), Get("grpc-message"));
    }

    private static HttpResponseMessage Trailers(HttpStatusCode status, string grpcStatus)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        response.Headers.Add("grpc-status", grpcStatus);
        return response;
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests) Requests.Add(request);
            return Task.FromResult(respond(request));
        }
    }

    public sealed class EchoOnlyService
    {
        public Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply());
    }

    public sealed class NothingService
    {
        public Task<EchoReply> Nothing(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply());
    }
}
