using Grpc.Core;
using SmartFactory.Kernel;
using SmartFactory.ServiceDefaults.Auth;

namespace SmartFactory.ServiceDefaults.Grpc;

public static class CallContext
{
    /// <summary>Who is calling, from the validated token (UNAUTHENTICATED without one).</summary>
    public static CallerScope Caller(this ServerCallContext context) => CallerScope.FromPrincipal(context.GetHttpContext().User);
}
