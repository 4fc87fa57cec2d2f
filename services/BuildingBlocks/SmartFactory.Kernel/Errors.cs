namespace SmartFactory.Kernel;

/// <summary>A wrong field and what is wrong with it, in words a user can act on.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>Errors the domain raises; the services' error mapping turns each into its gRPC status.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Bad input: every wrong field at once (INVALID_ARGUMENT).</summary>
public sealed class ValidationException(IReadOnlyList<FieldViolation> violations)
    : DomainException($"{violations.Count} field(s) are invalid: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
}

/// <summary>Absent, or outside the caller's scope: the two are indistinguishable on purpose (NOT_FOUND).</summary>
public sealed class NotFoundException(string message) : DomainException(message);

public sealed class AlreadyExistsException(string message) : DomainException(message);

/// <summary>Rules forbid this now (FAILED_PRECONDITION): every one that applies, each in the rule's words.</summary>
public sealed class RuleViolationException(IReadOnlyList<string> rules) : DomainException(string.Join("; ", rules))
{
    public IReadOnlyList<string> Rules { get; } = rules;
}

/// <summary>Someone changed the record since the caller read it (ABORTED: read again, then retry).</summary>
public sealed class ConcurrencyException(string message) : DomainException(message);

/// <summary>The caller's role may not do this at all (PERMISSION_DENIED).</summary>
public sealed class ForbiddenException(string message) : DomainException(message);

public sealed class UnauthenticatedException(string message) : DomainException(message);
