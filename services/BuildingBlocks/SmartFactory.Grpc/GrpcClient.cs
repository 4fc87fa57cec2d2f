using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Polly;
using Polly.Retry;
using IdempotencyLevel = Google.Protobuf.Reflection.MethodOptions.Types.IdempotencyLevel;

namespace SmartFactory.Grpc;

public readonly record struct CallOptions(Metadata? Headers = null, DateTime? Deadline = null, CancellationToken CancellationToken = default);

public sealed class GrpcClientOptions
{
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;
    /// <summary>Retries after the first attempt; only UNAVAILABLE answers of idempotent methods are retried.</summary>
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// gRPC client over h2c/h2. <c>http.BaseAddress</c> is the server root; give the HttpClient
/// <c>Timeout = Timeout.InfiniteTimeSpan</c>, since deadlines are carried per call in <see cref="CallOptions"/>.
/// Retries (exponential backoff, jittered) happen only for UNAVAILABLE, only for methods whose proto option
/// idempotency_level is NO_SIDE_EFFECTS or IDEMPOTENT, and never past the deadline. A server-streaming call
/// is retried only while starting (until response headers arrive), so no message is ever delivered twice.
/// </summary>
public sealed class GrpcClient(HttpClient http, GrpcClientOptions? options = null)
{
    private readonly GrpcClientOptions options = options ?? new();
    private readonly ResiliencePipeline retry = BuildRetry(options ?? new());

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(MethodDescriptor method, TRequest request, CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        using var call = new CallScope(options);
        return await call.Guard(() => PipelineFor(method).ExecuteAsync(async token => await call.Guard(async () =>
        {
            using var response = await StartAsync(method, request, call, token);
            var body = await response.Content.ReadAsStreamAsync(token);
            TResponse? reply = default;
            while (await GrpcProtocol.ReadMessageAsync(body, this.options.MaxReceiveMessageSize, token) is { } payload)
                reply = reply is null ? Parser<TResponse>.Instance.ParseFrom(payload)
                    : throw new RpcException(StatusCode.Internal, "More than one response message for a unary call.");
            ThrowOnError(response);
            return reply ?? throw new RpcException(StatusCode.Internal, "No response message for a unary call.");
        }), call.Token).AsTask());
    }

    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(MethodDescriptor method, TRequest request,
        CallOptions options = default)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new()
    {
        using var call = new CallScope(options);
        using var response = await call.Guard(() =>
            PipelineFor(method).ExecuteAsync(token => new ValueTask<HttpResponseMessage>(StartAsync(method, request, call, token)), call.Token).AsTask());
        var body = await call.Guard(() => response.Content.ReadAsStreamAsync(call.Token));
        while (await call.Guard(() => GrpcProtocol.ReadMessageAsync(body, this.options.MaxReceiveMessageSize, call.Token)) is { } payload)
            yield return call.Guard(() => Parser<TResponse>.Instance.ParseFrom(payload));
        ThrowOnError(response);
    }

    /// <summary>Sends the request and checks the response headers; a trailers-only error is thrown here.</summary>
    private async Task<HttpResponseMessage> StartAsync(MethodDescriptor method, IMessage request, CallScope call, CancellationToken token)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/{method.Service.FullName}/{method.Name}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(GrpcProtocol.Frame(request, int.MaxValue)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        message.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers")); // grpcio refuses calls without it
        if (call.Deadline is { } deadline)
            message.Headers.TryAddWithoutValidation("grpc-timeout", GrpcProtocol.FormatTimeout(deadline - DateTime.UtcNow));
        foreach (var entry in call.Headers ?? [])
            message.Headers.TryAddWithoutValidation(entry.Key, entry.WireValue);

        var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
        try
        {
            if (response.StatusCode != HttpStatusCode.OK)
                throw new RpcException(FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
            if (response.Headers.Contains("grpc-status")) ThrowOnError(response);
            else if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.ToString()))
                throw new RpcException(StatusCode.Unknown, $"Bad gRPC response. Content-Type: {response.Content.Headers.ContentType}");
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads the status from the trailers, or from the headers of a trailers-only answer.</summary>
    private static void ThrowOnError(HttpResponseMessage response)
    {
        var headers = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : (HttpHeaders)response.Headers;
        string? Get(string key) => headers.TryGetValues(key, out var values) ? values.FirstOrDefault() : null;
        var code = int.TryParse(Get("grpc-status"), out var value) ? (StatusCode)value
            : throw new RpcException(StatusCode.Internal, "The response has no grpc-status.");
        if (code == StatusCode.OK) return;

        Google.Rpc.Status? details = null;
        if (Get("grpc-status-details-bin") is { } encoded && GrpcProtocol.TryFromBase64(encoded, out var bytes))
        {
            try { details = Google.Rpc.Status.Parser.ParseFrom(bytes); }
            catch (InvalidProtocolBufferException) { } // Undecodable details do not hide the status itself.
        }
        var metadata = new Metadata();
        foreach (var (key, values) in response.Headers.Concat(response.TrailingHeaders)) metadata.AddFromWire(key, values);
        throw new RpcException(code, GrpcProtocol.PercentDecode(Get("grpc-message") ?? ""), details) { Trailers = metadata };
    }

    // The HTTP-to-gRPC table of the spec, for answers that did not come from a gRPC server.
    private static StatusCode FromHttpStatus(HttpStatusCode status) => (int)status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    private ResiliencePipeline PipelineFor(MethodDescriptor method) =>
        method.GetOptions()?.IdempotencyLevel is IdempotencyLevel.NoSideEffects or IdempotencyLevel.Idempotent ? retry : ResiliencePipeline.Empty;

    private static ResiliencePipeline BuildRetry(GrpcClientOptions options) => options.MaxRetryAttempts <= 0
        ? ResiliencePipeline.Empty
        : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            // The call's token includes its deadline: once it passed, nothing is retried (and the backoff delay is cut short).
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is RpcException { Status: StatusCode.Unavailable } && !args.Context.CancellationToken.IsCancellationRequested),
            MaxRetryAttempts = options.MaxRetryAttempts,
            Delay = options.RetryBaseDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        }).Build();

    private static class Parser<T> where T : IMessage<T>, new()
    {
        public static readonly MessageParser<T> Instance = new(() => new T());
    }

    /// <summary>One call's deadline and cancellation, and the translation of transport exceptions into statuses.</summary>
    private sealed class CallScope : IDisposable
    {
        private readonly CancellationTokenSource deadline = new();
        private readonly CancellationTokenSource linked;
        private readonly CancellationToken callerToken;

        public CallScope(CallOptions options)
        {
            Headers = options.Headers;
            callerToken = options.CancellationToken;
            if (options.Deadline is { } at && at != DateTime.MaxValue)
            {
                Deadline = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at;
                var left = Deadline.Value - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) deadline.Cancel();
                else if (left < TimeSpan.FromDays(40)) deadline.CancelAfter(left);
            }
            linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, deadline.Token);
        }

        public Metadata? Headers { get; }
        public DateTime? Deadline { get; }
        public CancellationToken Token => linked.Token;

        public async Task<T> Guard<T>(Func<Task<T>> action)
        {
            try
            {
                Token.ThrowIfCancellationRequested();
                return await action();
            }
            catch (Exception ex) when (Translate(ex) is { } status) { throw status; }
        }

        public T Guard<T>(Func<T> action)
        {
            try { return action(); }
            catch (Exception ex) when (Translate(ex) is { } status) { throw status; }
        }

        private RpcException? Translate(Exception ex) => ex switch
        {
            RpcException => null,
            InvalidProtocolBufferException => new(StatusCode.Internal, "Failed to deserialize response message."),
            _ when deadline.IsCancellationRequested => new(StatusCode.DeadlineExceeded, "Deadline exceeded."),
            OperationCanceledException when callerToken.IsCancellationRequested => new(StatusCode.Cancelled, "Call cancelled by the caller."),
            HttpRequestException or IOException => new(StatusCode.Unavailable, ex.Message),
            _ => null,
        };

        public void Dispose()
        {
            linked.Dispose();
            deadline.Dispose();
        }
    }
}
