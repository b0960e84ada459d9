using Certometer.Contracts.Privacy;

namespace Certometer.PrivacyRights.Requests;

/// <summary>Where a data-subject request stands.</summary>
public enum PrivacyRequestStatus
{
    /// <summary>Made, awaiting a compliance decision.</summary>
    Received,

    /// <summary>Approved; the work starts at <see cref="PrivacyRequest.WorkStartsAt"/> (after an erasure's cooling-off period).</summary>
    Approved,

    /// <summary>The holders are being asked; see <see cref="PrivacyRequest.Stage"/>.</summary>
    InProgress,

    /// <summary>Every holder answered (or the objection took effect); the subject is being, or has been, told.</summary>
    Completed,
    Denied,
    Cancelled,
}

/// <summary>The step of the workflow a request is waiting on.</summary>
public enum WorkflowStage
{
    /// <summary>No work has started.</summary>
    NotStarted,

    /// <summary>Erasure: Identity is asked to lock the account so no new data arrives.</summary>
    LockingAccount,

    /// <summary>Lifting a restriction: the subject is told before processing resumes.</summary>
    TellingSubject,

    /// <summary>
    /// The registry lacks a holder the configuration requires (or has none at all): nobody is asked until it is complete,
    /// so an erasure never completes having reached only part of the company. Escalated to compliance staff.
    /// </summary>
    WaitingForHolders,

    /// <summary>Every declared holder has been asked; waiting for each one's answer.</summary>
    AwaitingHolders,

    /// <summary>Completed; waiting for the subject to be told before the contact address is dropped.</summary>
    NotifyingSubject,

    /// <summary>Nothing is left to do.</summary>
    Closed,
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
    public static readonly PrivacyRequestStatus[] OpenStatuses =
        [PrivacyRequestStatus.Received, PrivacyRequestStatus.Approved, PrivacyRequestStatus.InProgress];

    /// <summary>The subject id an erased subject's requests keep once the erasure closes: they still evidence what was done, for nobody.</summary>
    public static readonly Guid ForgottenSubject = Guid.Empty;

    public required Guid Id { get; init; }

    /// <summary>
    /// The real subject id: the fan-out to holders needs it. Never copied into the audit log; replaced by
    /// <see cref="ForgottenSubject"/> on every request of a subject whose erasure closes.
    /// </summary>
    public required Guid SubjectId { get; set; }

    public required PrivacyRequestKind Kind { get; init; }

    public PrivacyRequestStatus Status { get; set; }

    /// <summary>
    /// Where to tell the subject about this request: the address they gave, or for an erasure the account's address
    /// Identity reported when it locked the account. Dropped once the subject has been told the request completed.
    /// </summary>
    public string? ContactEmail { get; set; }

    /// <summary>The language Identity reported when it locked the account, for the message that completes an erasure.</summary>
    public string? PreferredLanguage { get; set; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset Deadline { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DenialReason { get; set; }

    public DateTimeOffset? ExtendedAt { get; set; }

    public string? ExtensionReason { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    public WorkflowStage Stage { get; set; }

    /// <summary>When approved work starts: at approval, or for an erasure once its cooling-off period has passed.</summary>
    public DateTimeOffset? WorkStartsAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>Erasure: when Identity was last asked to lock the account, how often, and when it answered.</summary>
    public DateTimeOffset? AccountLockAskedAt { get; set; }

    public int AccountLockAttempts { get; set; }

    public DateTimeOffset? AccountLockNextAskAt { get; set; }

    public DateTimeOffset? AccountLockedAt { get; set; }

    /// <summary>When the workflow first found a step silent after repeated asking and flagged it for compliance staff.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>When the contact address was dropped and nothing was left to do.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>How the request reached us; older rows are SubjectPortal, the only channel there was.</summary>
    public RequestChannel Channel { get; init; }

    public const int MaxVerificationNoteLength = 2000;

    /// <summary>Staff channel only: the officer who filed the request, who may not also approve it (four eyes).</summary>
    public string? FiledBy { get; init; }

    /// <summary>Staff channel only: how the officer verified the requester's identity. Kept with the request, never in the audit log.</summary>
    public string? VerificationNote { get; init; }

    public bool IsOpen => OpenStatuses.Contains(Status);
}
