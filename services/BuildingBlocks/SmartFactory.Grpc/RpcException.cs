using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace SmartFactory.Grpc;

public enum StatusCode
{
    OK = 0, Cancelled = 1, Unknown = 2, InvalidArgument = 3, DeadlineExceeded = 4, NotFound = 5, AlreadyExists = 6,
    PermissionDenied = 7, ResourceExhausted = 8, FailedPrecondition = 9, Aborted = 10, OutOfRange = 11,
    Unimplemented = 12, Internal = 13, Unavailable = 14, DataLoss = 15, Unauthenticated = 16,
}

/// <summary>A call's non-OK status: thrown by service code to answer an error, and by the client when a call fails.</summary>
public sealed class RpcException(StatusCode status, string message, Google.Rpc.Status? details = null) : Exception(message)
{
    public StatusCode Status { get; } = status;

    /// <summary>The rich status (grpc-status-details-bin); its code and message are forced to match <see cref="Status"/>.</summary>
    public Google.Rpc.Status? Details { get; } =
        details is null ? null : new Google.Rpc.Status(details) { Code = (int)status, Message = message };

    /// <summary>Client side: the response headers and trailers received, without the reserved grpc-* ones.</summary>
    public Metadata Trailers { get; internal init; } = new();

    public IReadOnlyList<BadRequest.Types.FieldViolation> FieldViolations =>
        Details?.Details.Where(any => any.Is(BadRequest.Descriptor))
            .SelectMany(any => any.Unpack<BadRequest>().FieldViolations).ToList() ?? [];

    public static RpcException InvalidArgument(string message, IEnumerable<(string Field, string Description)> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v =>
            new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        return new(StatusCode.InvalidArgument, message, new Google.Rpc.Status { Details = { Any.Pack(badRequest) } });
    }

    public override string ToString() => $"Status({Status}, \"{Message}\"){Environment.NewLine}{base.ToString()}";
}
