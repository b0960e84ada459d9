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
[PublishedBy("privacy-rights")]
public sealed record PrivacyRequestReceived(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, DateTimeOffset ReceivedAt, DateTimeOffset Deadline);

/// <summary>Compliance staff approved a request; the work it asks for may start.</summary>
[PublishedBy("privacy-rights")]
public sealed record PrivacyRequestApproved(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, DateTimeOffset ApprovedAt, DateTimeOffset Deadline);

/// <summary>Compliance staff denied a request, with the reason the subject must be given.</summary>
[PublishedBy("privacy-rights")]
public sealed record PrivacyRequestDenied(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, string Reason, DateTimeOffset DeniedAt);

/// <summary>Compliance staff extended a request's deadline (once only), with the reason the subject must be given.</summary>
[PublishedBy("privacy-rights")]
public sealed record PrivacyRequestExtended(
    Guid RequestId,
    Guid SubjectId,
    PrivacyRequestKind Kind,
    string Reason,
    DateTimeOffset PreviousDeadline,
    DateTimeOffset NewDeadline,
    DateTimeOffset ExtendedAt);

/// <summary>The subject withdrew their request before work on it started.</summary>
[PublishedBy("privacy-rights")]
public sealed record PrivacyRequestCancelled(
    Guid RequestId, Guid SubjectId, PrivacyRequestKind Kind, DateTimeOffset CancelledAt);

/// <summary>
/// A request's work is done: every holder answered (erasure, restriction, lift), the package is ready (access,
/// portability) or the objection took effect. Notifications tells the subject and answers with <see cref="PrivacyNoticeDelivered"/>.
/// </summary>
/// <param name="ContactEmail">
/// Where to write. Set for an erasure, whose holders have already forgotten the subject: Notifications writes there and
/// keeps neither the address nor the subject id once the message is sent. Otherwise the address the subject gave with
/// the request, or null to use the one Notifications holds.
/// </param>
/// <param name="PreferredLanguage">For an erasure, the language Identity reported when it locked the account.</param>
/// <param name="PackageAvailableUntil">For access and portability: when the download link expires.</param>
[PublishedBy("privacy-rights")]
public sealed record PrivacyRequestCompleted(
    Guid RequestId,
    Guid SubjectId,
    PrivacyRequestKind Kind,
    DateTimeOffset CompletedAt,
    [property: PersonalValue] string? ContactEmail,
    string? PreferredLanguage,
    DateTimeOffset? PackageAvailableUntil);

/// <summary>A notice PrivacyRights waits for before its next step.</summary>
public enum PrivacyNotice
{
    /// <summary>The subject was told that their restriction is about to be lifted; only then is it lifted.</summary>
    RestrictionLifting,

    /// <summary>The subject was told their request completed; only then does PrivacyRights drop the contact address.</summary>
    RequestCompleted,
}

/// <summary>Notifications actually handed a notice about a request to the mail server (not merely queued it).</summary>
[PublishedBy("notifications")]
public sealed record PrivacyNoticeDelivered(Guid RequestId, PrivacyNotice Notice, DateTimeOffset DeliveredAt) : IPrivacyAnswer
{
    /// <summary>
    /// Only Notifications tells subjects, so only its key may sign a notice's outcome: the request names no service, and a
    /// forged "delivered" would let PrivacyRights drop the contact address of a subject who was never told.
    /// </summary>
    public const string Sender = "notifications";

    string IPrivacyAnswer.Service => Sender;
}

/// <summary>
/// Notifications gave up on a notice about a request: the relay refused it, or kept failing past every retry. PrivacyRights
/// stops waiting for it rather than keep the request (and the subject's address) open forever.
/// </summary>
/// <param name="Reason">Why, in words that name no person and no address (a relay's error text may quote the address).</param>
[PublishedBy("notifications")]
public sealed record PrivacyNoticeFailed(Guid RequestId, PrivacyNotice Notice, string Reason, DateTimeOffset FailedAt) : IPrivacyAnswer
{
    string IPrivacyAnswer.Service => PrivacyNoticeDelivered.Sender;
}

/// <summary>What a subject objected to. Objection to direct marketing is absolute (GDPR art. 21(3)).</summary>
public enum ObjectionPurpose
{
    Marketing,
    Analytics,
}

/// <summary>
/// A subject objected to a processing purpose. Notifications puts the address on the suppression list (marketing);
/// Analytics stops collecting for the subject (analytics). The objection outlives erasure where a service keeps it.
/// </summary>
[PublishedBy("privacy-rights")]
public sealed record SubjectObjectedToProcessing(Guid RequestId, Guid SubjectId, ObjectionPurpose Purpose, DateTimeOffset ObjectedAt) : ISubjectFact;
