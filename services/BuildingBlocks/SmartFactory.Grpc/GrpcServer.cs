using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace SmartFactory.Grpc;

public sealed class GrpcServerOptions
{
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;
    public int MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Maps non-RpcException errors to a status; null means INTERNAL with a generic message.</summary>
    public Func<Exception, RpcException?>? ExceptionMapper { get; set; }
}

/// <summary>Per-call state handed to service methods. Settable so services can be unit-tested without a server.</summary>
public sealed class ServerCallContext
{
    public required HttpContext HttpContext { get; init; }
    /// <summary>"/package.Service/Method".</summary>
    public string Method { get; init; } = "";
    /// <summary>UTC, from grpc-timeout.</summary>
    public DateTime? Deadline { get; init; }
    /// <summary>Cancelled when the client aborts the call or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; init; }
    /// <summary>Request metadata without pseudo, HTTP and grpc-* headers (te, content-type, grpc-timeout, ...); user-agent is kept.</summary>
    public Metadata RequestHeaders { get; init; } = new();
    /// <summary>Extra trailers sent with the status.</summary>
    public Metadata ResponseTrailers { get; } = new();
    public ClaimsPrincipal User => HttpContext.User;
}

public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message);
}

public static class GrpcServerExtensions
{
    // Service instance, request, context, response sink.
    private delegate Task Invoker(object service, IMessage request, ServerCallContext context, Func<IMessage, Task> write);

    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        services.AddRouting();
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null) options.Configure(configure);
        return services;
    }

    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder app, ServiceDescriptor service)
        where TService : class
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var logger = app.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("SmartFactory.Grpc.Server");
        // Bind every method before mapping any, so a bad service fails startup as a whole.
        var invokers = service.Methods.Select(m => (Method: m, Invoke: BindMethod(typeof(TService), m))).ToList();
        var group = app.MapGroup("/" + service.FullName);
        foreach (var (method, invoke) in invokers)
            group.MapPost("/" + method.Name, (RequestDelegate)(http =>
                HandleAsync(http, method, invoke, typeof(TService), options, logger)));
        return group;
    }

    /// <summary>Answers UNIMPLEMENTED to any other gRPC request; other unmatched POSTs get 404.</summary>
    /// <remarks>POST only and without MapFallback's "nonfile" constraint, so it coexists with a GET fallback (e.g. a SPA).</remarks>
    public static void MapGrpcFallback(this IEndpointRouteBuilder app) =>
        app.MapFallback("{**path}", (RequestDelegate)(http =>
        {
            if (!HttpProtocol.IsHttp2(http.Request.Protocol) || !GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            http.Response.ContentType = GrpcProtocol.ContentType;
            WriteStatus(http, StatusCode.Unimplemented, $"Method {http.Request.Path} is not implemented.", null, new());
            return Task.CompletedTask;
        })).WithMetadata(new HttpMethodMetadata([HttpMethods.Post]));

    private static Invoker BindMethod(Type serviceType, MethodDescriptor method)
    {
        if (method.IsClientStreaming)
            throw new InvalidOperationException($"{method.FullName}: client-streaming and bidirectional methods are not supported.");
        var (input, output) = (method.InputType.ClrType, method.OutputType.ClrType);
        Type[] parameters = method.IsServerStreaming
            ? [input, typeof(IServerStreamWriter<>).MakeGenericType(output), typeof(ServerCallContext)]
            : [input, typeof(ServerCallContext)];
        var returns = method.IsServerStreaming ? typeof(Task) : typeof(Task<>).MakeGenericType(output);
        var target = serviceType.GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters);
        if (target is null || target.ReturnType != returns)
            throw new InvalidOperationException(
                $"{serviceType.Name} must implement {method.FullName} as public {Describe(returns)} {method.Name}({string.Join(", ", parameters.Select(Describe))}).");
        var binder = typeof(GrpcServerExtensions)
            .GetMethod(method.IsServerStreaming ? nameof(BindStreaming) : nameof(BindUnary), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(serviceType, input, output);
        return (Invoker)binder.Invoke(null, [target])!;
    }

    private static string Describe(Type t) =>
        t.IsGenericType ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Describe))}>" : t.Name;

    // Open-instance delegates, created once per method: no reflection per call.
    private static Invoker BindUnary<TService, TRequest, TResponse>(MethodInfo target) where TResponse : IMessage
    {
        var call = target.CreateDelegate<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>();
        return async (service, request, context, write) => await write(await call((TService)service, (TRequest)request, context));
    }

    private static Invoker BindStreaming<TService, TRequest, TResponse>(MethodInfo target) where TResponse : IMessage
    {
        var call = target.CreateDelegate<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
        return (service, request, context, write) => call((TService)service, (TRequest)request, new StreamWriter<TResponse>(write), context);
    }

    private sealed class StreamWriter<T>(Func<IMessage, Task> write) : IServerStreamWriter<T> where T : IMessage
    {
        public Task WriteAsync(T message) => write(message);
    }

    private static async Task HandleAsync(HttpContext http, MethodDescriptor method, Invoker invoke, Type serviceType,
        GrpcServerOptions options, ILogger logger)
    {
        if (!HttpProtocol.IsHttp2(http.Request.Protocol))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        http.Response.ContentType = GrpcProtocol.ContentType;

        using var deadline = new CancellationTokenSource();
        DateTime? deadlineAt = null;
        // Timeouts beyond the timer's range (~49 days) are treated as no deadline.
        if (GrpcProtocol.TryParseTimeout(http.Request.Headers["grpc-timeout"], out var timeout) && timeout < TimeSpan.FromDays(40))
        {
            deadlineAt = DateTime.UtcNow + timeout;
            deadline.CancelAfter(timeout);
        }
        using var callCancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadline.Token);
        var context = new ServerCallContext
        {
            HttpContext = http, Method = http.Request.Path, Deadline = deadlineAt, CancellationToken = callCancellation.Token,
            RequestHeaders = new Metadata(),
        };
        foreach (var (key, values) in http.Request.Headers) context.RequestHeaders.AddFromWire(key, values);

        RpcException status;
        try
        {
            var payload = await GrpcProtocol.ReadMessageAsync(http.Request.Body, options.MaxReceiveMessageSize, context.CancellationToken)
                ?? throw new RpcException(StatusCode.Internal, "Request message is missing.");
            var request = GrpcProtocol.Parse(method.InputType.Parser, payload);
            var service = http.RequestServices.GetRequiredService(serviceType);
            await invoke(service, request, context, async message =>
            {
                await http.Response.Body.WriteAsync(GrpcProtocol.Frame(message, options.MaxSendMessageSize), context.CancellationToken);
                await http.Response.Body.FlushAsync(context.CancellationToken);
            });
            status = new RpcException(StatusCode.OK, "");
        }
        // Whatever the service threw once the deadline passed (usually OperationCanceledException) means the deadline.
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            status = new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            return; // The client is gone; there is nobody to answer.
        }
        catch (RpcException ex)
        {
            status = ex;
        }
        catch (Exception ex)
        {
            status = options.ExceptionMapper?.Invoke(ex) ?? new RpcException(StatusCode.Internal, "Exception was thrown by handler.");
            // A mapped domain error is an answer, not a fault: one line; anything else with its stack.
            if (status.Status == StatusCode.Internal) logger.LogError(ex, "gRPC {Method} failed; answering {Status}", context.Method, status.Status);
            else logger.LogInformation("gRPC {Method} answered {Status}: {Message}", context.Method, status.Status, status.Message);
        }
        WriteStatus(http, status.Status, status.Message, status.Details, context.ResponseTrailers);
    }

    /// <summary>Status as trailers after a body, or as headers of a body-less "trailers-only" answer.</summary>
    private static void WriteStatus(HttpContext http, StatusCode code, string message, Google.Rpc.Status? details, Metadata trailers)
    {
        var response = http.Response;
        var trailersOnly = !response.HasStarted;
        void Set(string key, string value)
        {
            if (trailersOnly) response.Headers.Append(key, value);
            else response.AppendTrailer(key, value);
        }
        foreach (var entry in trailers) Set(entry.Key, entry.WireValue);
        Set("grpc-status", ((int)code).ToString(CultureInfo.InvariantCulture));
        if (message.Length > 0) Set("grpc-message", GrpcProtocol.PercentEncode(message));
        if (details is not null) Set("grpc-status-details-bin", Convert.ToBase64String(details.ToByteArray()).TrimEnd('='));
    }
}
