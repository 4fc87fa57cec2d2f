using SmartFactory.Grpc;

namespace SmartFactory.Gateway.Api;

/// <summary>What every /api/v1 route group shares: the token requirement, and gRPC errors answered as problems.</summary>
public static class ApiGroup
{
    public static RouteGroupBuilder MapApiV1(this IEndpointRouteBuilder app, string tag) =>
        app.MapGroup("/api/v1").RequireAuthorization().WithTags(tag)
            .AddEndpointFilter(AnswerRpcErrorsAsProblems)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    // Each route is one gRPC call; whatever status the service answers becomes the route's problem.
    private static async ValueTask<object?> AnswerRpcErrorsAsProblems(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try { return await next(context); }
        catch (RpcException e) { return Problems.FromRpc(e); }
    }
}
