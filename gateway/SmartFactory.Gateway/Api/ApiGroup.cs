using Grpc.Core;

namespace SmartFactory.Gateway.Api;

/// <summary>
/// What every /api/v1 route group shares: gRPC errors answered as problems, and the token requirement, except for the
/// few routes the public may call (published notices, objections).
/// </summary>
public static class ApiGroup
{
    public static RouteGroupBuilder MapApiV1(this IEndpointRouteBuilder app, string tag) =>
        app.MapPublicApiV1(tag).RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>Routes that need no token; a caller's token, when sent, is still forwarded (the service may show it more).</summary>
    public static RouteGroupBuilder MapPublicApiV1(this IEndpointRouteBuilder app, string tag) =>
        app.MapGroup("/api/v1").WithTags(tag).AddEndpointFilter(RefuseControlCharacters).AddEndpointFilter(AnswerRpcErrorsAsProblems);

    // No query value here is text that may hold control characters, and PostgreSQL refuses NUL outright: refused here
    // naming the parameter, before a service fails on it.
    private static ValueTask<object?> RefuseControlCharacters(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var refused = context.HttpContext.Request.Query.Where(q => q.Value.Any(v => v?.Any(char.IsControl) == true))
            .Select(q => new ProblemField(q.Key, "must not contain control characters")).ToArray();
        return refused.Length > 0 ? ValueTask.FromResult<object?>(Problems.BadRequest(refused)) : next(context);
    }

    // Each route is one gRPC call; whatever status the service answers becomes the route's problem.
    private static async ValueTask<object?> AnswerRpcErrorsAsProblems(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try { return await next(context); }
        catch (RpcException e) { return Problems.FromRpc(e); }
    }
}
