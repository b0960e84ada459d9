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

    public bool IsOpen => OpenStatuses.Contains(Status);
}
