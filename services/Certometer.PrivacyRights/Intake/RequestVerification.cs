using Certometer.Contracts.Privacy;

namespace Certometer.PrivacyRights.Intake;

/// <summary>
/// A request made without signing in, waiting for the one-time code that proves control of the account's address.
/// Holds only a keyed hash of the code; the address and hash are dropped once it is used, the row soon after it expires.
/// </summary>
public sealed class RequestVerification
{
    public required Guid Id { get; init; }

    public required PrivacyRequestKind Kind { get; init; }

    /// <summary>The address as typed; becomes the request's contact address once verified.</summary>
    public string? Email { get; set; }

    /// <summary>HMAC of the id and the code; empty once used, so nothing can ever match again.</summary>
    public required string CodeHash { get; set; }

    /// <summary>Whom the address belongs to, once Identity says so; stays null when no account has it, so no code can ever succeed.</summary>
    public Guid? SubjectId { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public int FailedAttempts { get; set; }

    /// <summary>The request the verification created.</summary>
    public Guid? RequestId { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
