using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Xunit;

namespace SmartFactory.TestSupport;

/// <summary>Calls by method name, so fixtures can offer one helper per service; and status assertions.</summary>
public static class GrpcTesting
{
    public static Task<TResponse> Unary<TRequest, TResponse>(this CallInvoker invoker, MethodDescriptor method, TRequest request, string? token,
        Metadata? headers = null, TimeSpan? deadline = null)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new()
    {
        headers ??= [];
        if (token is not null) headers.Add("authorization", "Bearer " + token);
        return invoker.AsyncUnaryCall(Method<TRequest, TResponse>(method, MethodType.Unary), null,
            new CallOptions(headers, DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(30))), request).ResponseAsync;
    }

    public static async IAsyncEnumerable<TResponse> ServerStreaming<TRequest, TResponse>(this CallInvoker invoker, MethodDescriptor method,
        TRequest request, string token)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new()
    {
        using var call = invoker.AsyncServerStreamingCall(Method<TRequest, TResponse>(method, MethodType.ServerStreaming), null,
            new CallOptions([new("authorization", "Bearer " + token)], DateTime.UtcNow.AddSeconds(30)), request);
        await foreach (var message in call.ResponseStream.ReadAllAsync()) yield return message;
    }

    public static MethodDescriptor Find(string name, params ServiceDescriptor[] services) =>
        services.Select(s => s.FindMethodByName(name)).FirstOrDefault(m => m is not null)
        ?? throw new ArgumentException($"no method {name} in {string.Join(", ", services.Select(s => s.FullName))}", nameof(name));

    public static async Task<RpcException> AssertStatus(StatusCode status, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(status, error.StatusCode);
        return error;
    }

    extension(RpcException error)
    {
        /// <summary>Every wrong field the service named (google.rpc.BadRequest in grpc-status-details-bin).</summary>
        public IReadOnlyList<BadRequest.Types.FieldViolation> FieldViolations =>
            error.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
    }

    private static Method<TRequest, TResponse> Method<TRequest, TResponse>(MethodDescriptor method, MethodType type)
        where TRequest : class, IMessage<TRequest>, new() where TResponse : class, IMessage<TResponse>, new() =>
        new(type, method.Service.FullName, method.Name, Marshaller<TRequest>(), Marshaller<TResponse>());

    private static Marshaller<T> Marshaller<T>() where T : class, IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        return Marshallers.Create(message => message.ToByteArray(), parser.ParseFrom);
    }
}
