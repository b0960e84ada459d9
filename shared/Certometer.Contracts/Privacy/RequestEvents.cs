namespace Certometer.Contracts.Privacy;

// Facts about a data-subject request, for Notifications to tell the subject. They carry ids, the kind, dates and
// reasons only: the contact address stays in PrivacyRights, which drops it when the request closes.

/// <summary>The right a data-subject request exercises.</summary>
public enum PrivacyRequestKind
{
    Access,
    Portability,
    Erasure,
    Restriction,
    RestrictionLift,
    ObjectionToMarketing,
    ObjectionToAnalytics,
}

/// <summary>A subject made a request; the legal deadline starts now.</summary>
public sealed record PrivacyRequestReceived(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, DateTimeOffset ReceivedAt, DateTimeOffset Deadline);

/// <summary>Compliance staff approved a request; the work it asks for may start.</summary>
public sealed record PrivacyRequestApproved(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, DateTimeOffset ApprovedAt, DateTimeOffset Deadline);

/// <summary>Compliance staff denied a request, with the reason the subject must be given.</summary>
public sealed record PrivacyRequestDenied(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, string Reason, DateTimeOffset DeniedAt);

/// <summary>Compliance staff extended a request's deadline (once only), with the reason the subject must be given.</summary>
public sealed record PrivacyRequestExtended(
    Guid RequestId,
    Guid SubjectId,
    PrivacyRequestKind Kind,
    string Reason,
    DateTimeOffset PreviousDeadline,
    DateTimeOffset NewDeadline,
    DateTimeOffset ExtendedAt);

/// <summary>The subject withdrew their request before work on it started.</summary>
public sealed record PrivacyRequestCancelled(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, DateTimeOffset CancelledAt);
