using System.Collections.Concurrent;
using Google.Protobuf;
using SmartFactory.Grpc;
using SmartFactory.Interop.Tests.Protos;

namespace SmartFactory.Interop.Tests;

/// <summary>What the C# service saw, for tests to await: started and cancelled sleeps, and attempts per flaky key.</summary>
public sealed class ServiceProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> signals = new();
    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    public Task SleepStarted(string key) => Signal("started:" + key).Task;
    public void OnSleepStarted(string key) => Signal("started:" + key).TrySetResult();
    public Task SleepCancelled(string key) => Signal(key).Task;
    public void OnSleepCancelled(string key) => Signal(key).TrySetResult();
    private TaskCompletionSource Signal(string key) => signals.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>Our implementation of the interop service (python/server.py is grpcio's).</summary>
public sealed class InteropService(ServiceProbe probe)
{
    public const string FailMessage = "名称不能为空 100% wrong";

    public Task<EchoReply> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply
    {
        Text = request.Text,
        Payload = request.ReplyPadding > 0 ? ByteString.CopyFrom(new byte[request.ReplyPadding]) : request.Payload,
    });

    public Task<EchoReply> Fail(FailRequest request, ServerCallContext context) => request.Mode switch
    {
        "notfound" => throw new KeyNotFoundException("order 42"),
        "crash" => throw new InvalidOperationException("secret connection string"),
        _ => throw RpcException.InvalidArgument(FailMessage, [("name", "must not be empty"), ("quantity", "must be positive")]),
    };

    public async Task<SleepReply> Sleep(SleepRequest request, ServerCallContext context)
    {
        try
        {
            probe.OnSleepStarted(request.Key);
            await Task.Delay(request.Ms, context.CancellationToken);
            return new SleepReply();
        }
        catch (OperationCanceledException)
        {
            probe.OnSleepCancelled(request.Key);
            throw;
        }
    }

    public async Task Count(CountRequest request, IServerStreamWriter<CountReply> writer, ServerCallContext context)
    {
        for (var i = 0; i < request.N; i++) await writer.WriteAsync(new CountReply { Value = i });
    }

    public Task<FlakyReply> Flaky(FlakyRequest request, ServerCallContext context)
    {
        var attempt = probe.Attempts.AddOrUpdate(request.Key, 1, (_, n) => n + 1);
        return attempt <= request.FailTimes
            ? throw new RpcException(StatusCode.Unavailable, $"attempt {attempt}")
            : Task.FromResult(new FlakyReply { Attempts = attempt });
    }

    public Task<FlakyReply> Mutate(FlakyRequest request, ServerCallContext context) => Flaky(request, context);

    public Task<MetadataReply> EchoMetadata(MetadataRequest request, ServerCallContext context)
    {
        context.ResponseTrailers.Add("x-served-by", "smartfactory");
        context.ResponseTrailers.Add("x-echo-bin", [9, 8, 7]);
        var reply = new MetadataReply();
        reply.Entries.AddRange(context.RequestHeaders.Select(e => new MetadataEntry
        {
            Key = e.Key, Value = e.Value ?? "", Binary = e.Bytes is null ? ByteString.Empty : ByteString.CopyFrom(e.Bytes),
        }));
        return Task.FromResult(reply);
    }
}
