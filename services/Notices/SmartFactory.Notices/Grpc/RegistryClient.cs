using Google.Protobuf;
using SmartFactory.Contracts.Registry.V1;
using SmartFactory.Grpc;

namespace SmartFactory.Notices.Grpc;

/// <summary>The registry as the notices service uses it: reads with the caller's token, commands with its own.</summary>
public sealed class RegistryClient(GrpcClient grpc)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public Task<Application> GetApplicationAsync(string id, string authorization, CancellationToken cancellationToken) =>
        CallAsync<GetApplicationRequest, Application>("GetApplication", new() { Id = id }, authorization, cancellationToken);

    public Task<Recognition> GetRecognitionAsync(string id, string authorization, CancellationToken cancellationToken) =>
        CallAsync<GetRecognitionRequest, Recognition>("GetRecognition", new() { Id = id }, authorization, cancellationToken);

    public Task<Recognition> TakeEffectAsync(TakeEffectRequest request, string authorization, CancellationToken cancellationToken) =>
        CallAsync<TakeEffectRequest, Recognition>("TakeEffect", request, authorization, cancellationToken);

    public Task<Recognition> WithdrawAfterPublicityAsync(WithdrawAfterPublicityRequest request, string authorization, CancellationToken cancellationToken) =>
        CallAsync<WithdrawAfterPublicityRequest, Recognition>("WithdrawAfterPublicity", request, authorization, cancellationToken);

    private Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, string authorization, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse>, new() =>
        grpc.UnaryAsync<TRequest, TResponse>(LifecycleReflection.Descriptor.Services[0].FindMethodByName(method), request,
            new CallOptions(new Metadata { { "authorization", authorization } }, DateTime.UtcNow + Deadline, cancellationToken));
}
