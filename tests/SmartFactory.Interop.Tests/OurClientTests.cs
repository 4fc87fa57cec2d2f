using System.Diagnostics;
using Google.Protobuf;
using SmartFactory.Grpc;
using SmartFactory.Interop.Tests.Protos;

namespace SmartFactory.Interop.Tests;

/// <summary>Our client against grpcio's server (python/server.py).</summary>
public sealed class OurClientTests(PythonServerFixture server) : IClassFixture<PythonServerFixture>
{
    private readonly GrpcClient client = server.Client(new GrpcClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task Unary_echo()
    {
        var reply = await client.UnaryAsync<EchoRequest, EchoReply>(Descriptors.Method("Echo"), new EchoRequest { Text = "hello" });
        Assert.Equal("hello", reply.Text);
    }

    [Fact]
    public async Task Server_streaming_delivers_all_messages_in_order()
    {
        var values = new List<int>();
        await foreach (var reply in client.ServerStreamingAsync<CountRequest, CountReply>(Descriptors.Method("Count"), new CountRequest { N = 1000 }))
            values.Add(reply.Value);
        Assert.Equal(Enumerable.Range(0, 1000), values);
    }

    [Fact]
    public async Task Error_carries_unicode_message_and_field_violations()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.UnaryAsync<FailRequest, EchoReply>(Descriptors.Method("Fail"), new FailRequest { Mode = "invalid" }));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Equal(InteropService.FailMessage, error.Message);
        Assert.Equal(3, error.Details!.Code);
        Assert.Equal(
            [("name", "must not be empty"), ("quantity", "must be positive")],
            error.FieldViolations.Select(v => (v.Field, v.Description)));
    }

    [Fact]
    public async Task Deadline_is_exceeded_in_time()
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<SleepRequest, SleepReply>(
            Descriptors.Method("Sleep"), new SleepRequest { Ms = 5000 }, new CallOptions(Deadline: DateTime.UtcNow.AddMilliseconds(300))));
        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4)); // well short of the 5 s sleep
    }

    [Fact]
    public async Task One_mebibyte_message_round_trips()
    {
        var payload = ByteString.CopyFrom(Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 1024 * 1024));
        var reply = await client.UnaryAsync<EchoRequest, EchoReply>(Descriptors.Method("Echo"), new EchoRequest { Payload = payload });
        Assert.Equal(payload, reply.Payload);
    }

    [Fact]
    public async Task Hundred_concurrent_calls_succeed()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            client.UnaryAsync<EchoRequest, EchoReply>(Descriptors.Method("Echo"), new EchoRequest { Text = i.ToString() })));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString()), replies.Select(r => r.Text));
    }

    [Fact]
    public async Task Method_the_server_lacks_is_unimplemented()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<EchoRequest, EchoReply>(
            Descriptors.Unimplemented.FindMethodByName("Nothing"), new EchoRequest()));
        Assert.Equal(StatusCode.Unimplemented, error.Status);
    }

    [Fact]
    public async Task Metadata_round_trips_including_binary()
    {
        var headers = new Metadata { { "X-Trace-Id", "abc-123" }, { "x-blob-bin", new byte[] { 0, 1, 2, 254, 255 } } };
        var reply = await client.UnaryAsync<MetadataRequest, MetadataReply>(Descriptors.Method("EchoMetadata"), new MetadataRequest(), new CallOptions(headers));
        Assert.Equal("abc-123", reply.Entries.Single(e => e.Key == "x-trace-id").Value);
        Assert.Equal([0, 1, 2, 254, 255], reply.Entries.Single(e => e.Key == "x-blob-bin").Binary.ToByteArray());
    }

    [Fact]
    public async Task Idempotent_call_is_retried_on_unavailable()
    {
        var reply = await client.UnaryAsync<FlakyRequest, FlakyReply>(Descriptors.Method("Flaky"), new FlakyRequest { Key = Guid.NewGuid().ToString(), FailTimes = 2 });
        Assert.Equal(3, reply.Attempts);
    }

    [Fact]
    public async Task Retries_stop_after_max_attempts()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<FlakyRequest, FlakyReply>(
            Descriptors.Method("Flaky"), new FlakyRequest { Key = Guid.NewGuid().ToString(), FailTimes = 10 }));
        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal("attempt 4", error.Message);
    }

    [Fact]
    public async Task Non_idempotent_call_is_not_retried()
    {
        var request = new FlakyRequest { Key = Guid.NewGuid().ToString(), FailTimes = 1 };
        var error = await Assert.ThrowsAsync<RpcException>(() => client.UnaryAsync<FlakyRequest, FlakyReply>(Descriptors.Method("Mutate"), request));
        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal("attempt 1", error.Message);
        // The server's count shows that only one attempt reached it.
        var reply = await client.UnaryAsync<FlakyRequest, FlakyReply>(Descriptors.Method("Mutate"), request);
        Assert.Equal(2, reply.Attempts);
    }
}
