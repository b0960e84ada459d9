using Certometer.Contracts.Privacy;

namespace Certometer.PrivacyRights.Requests;

/// <summary>Where a data-subject request stands. Later work adds InProgress and Completed after Approved.</summary>
public enum PrivacyRequestStatus
{
    Received,
    Approved,
    Denied,
    Cancelled,
}

/// <summary>How a request reached PrivacyRights, which is also how the requester's identity was established.</summary>
public enum RequestChannel
{
    /// <summary>The signed-in subject, identified by their token.</summary>
    SubjectPortal,

    /// <summary>Compliance staff, on the subject's behalf, after verifying their identity by other means.</summary>
    Staff,

    /// <summary>Without signing in, by proving control of the account's email address with a one-time code.</summary>
    EmailVerified,
}

/// <summary>A data-subject request: who asked for which right, and how it is being handled against its deadline.</summary>
public sealed class PrivacyRequest
{
    /// <summary>Statuses in which a request still awaits an outcome; a second request of the same kind is a duplicate.</summary>
    public static readonly PrivacyRequestStatus[] OpenStatuses = [PrivacyRequestStatus.Received, PrivacyRequestStatus.Approved];

    public required Guid Id { get; init; }

    /// <summary>The real subject id: the fan-out to holders needs it. Never copied into the audit log.</summary>
    public required Guid SubjectId { get; init; }

    public required PrivacyRequestKind Kind { get; init; }

    public PrivacyRequestStatus Status { get; set; }

    /// <summary>Where to tell the subject about this request, if they gave one; dropped when the request closes (later issue).</summary>
    public string? ContactEmail { get; set; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset Deadline { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DenialReason { get; set; }

    public DateTimeOffset? ExtendedAt { get; set; }

    public string? ExtensionReason { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>How the request reached us; older rows are SubjectPortal, the only channel there was.</summary>
    public RequestChannel Channel { get; init; }

    /// <summary>Staff channel only: how the officer verified the requester's identity. Kept with the request, never in the audit log.</summary>
    public string? VerificationNote { get; init; }

    public bool IsOpen => OpenStatuses.Contains(Status);
}
