using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Workflow;

namespace Certometer.PrivacyRights.Requests;

/// <summary>A subject's request to exercise a right; the subject is the caller, never named in the body.</summary>
/// <param name="ContactEmail">Where to write about this request, if not the account's address.</param>
public sealed record SubmitPrivacyRequest(PrivacyRequestKind? Kind, string? ContactEmail = null);

/// <summary>Compliance staff making a request for a subject whose identity they verified by other means.</summary>
/// <param name="Verification">Required: how identity was verified (e.g. which documents were checked), kept with the request.</param>
/// <param name="ContactEmail">Where to write about this request, if not the account's address.</param>
public sealed record SubmitOnBehalfPrivacyRequest(Guid? SubjectId, PrivacyRequestKind? Kind, string? Verification, string? ContactEmail = null);

/// <summary>Someone who is not signed in asking to make a request for the account with this address.</summary>
public sealed record StartUnverifiedPrivacyRequest(string? Email, PrivacyRequestKind? Kind);

/// <summary>The same answer whether or not an account has the address: a code was sent if one does.</summary>
/// <param name="VerificationId">Where to send the code: <c>/api/privacy/requests/unverified/{verificationId}/verify</c>.</param>
public sealed record PendingVerification(Guid VerificationId, DateTimeOffset ExpiresAt);

/// <summary>The one-time code from the email.</summary>
public sealed record VerificationCode(string? Code);

/// <summary>The reason compliance staff give the subject when denying or extending a request.</summary>
public sealed record DecisionReason(string? Reason);

/// <summary>A data-subject request and where it stands against its deadline.</summary>
/// <param name="DaysLeft">Whole days until the deadline while the request is open (negative when overdue); null once closed.</param>
public sealed record PrivacyRequestResponse(
    Guid Id,
    Guid SubjectId,
    PrivacyRequestKind Kind,
    PrivacyRequestStatus Status,
    string? ContactEmail,
    DateTimeOffset ReceivedAt,
    DateTimeOffset Deadline,
    int? DaysLeft,
    DateTimeOffset? DecidedAt,
    string? DenialReason,
    DateTimeOffset? ExtendedAt,
    string? ExtensionReason,
    DateTimeOffset? CancelledAt,
    WorkflowStage Stage,
    DateTimeOffset? WorkStartsAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EscalatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ClosedAt,
    RequestChannel Channel,
    string? VerificationNote)
{
    internal static PrivacyRequestResponse From(PrivacyRequest request, DateTimeOffset now) => new(
        request.Id,
        request.SubjectId,
        request.Kind,
        request.Status,
        request.ContactEmail,
        request.ReceivedAt,
        request.Deadline,
        request.IsOpen ? (int)Math.Ceiling((request.Deadline - now).TotalDays) : null,
        request.DecidedAt,
        request.DenialReason,
        request.ExtendedAt,
        request.ExtensionReason,
        request.CancelledAt,
        request.Stage,
        request.WorkStartsAt,
        request.StartedAt,
        request.EscalatedAt,
        request.CompletedAt,
        request.ClosedAt,
        request.Channel,
        request.VerificationNote);
}

/// <summary>One page of requests for compliance staff, most urgent deadline first.</summary>
public sealed record PrivacyRequestPage(IReadOnlyList<PrivacyRequestResponse> Items, int Page, int PageSize, int Total);

/// <summary>What compliance staff see of one request: where it stands and, per holder, what was asked and answered.</summary>
/// <param name="AccountLock">For an erasure: the account lock Identity was asked for before any holder.</param>
public sealed record PrivacyRequestDetail(
    PrivacyRequestResponse Request, AccountLockProgress? AccountLock, IReadOnlyList<HolderProgress> Holders);

/// <summary>The account lock an erasure starts with.</summary>
public sealed record AccountLockProgress(DateTimeOffset? LastAskedAt, int Attempts, DateTimeOffset? LockedAt);

/// <summary>One holder's part in a request. <paramref name="Answer"/> is the erasure receipt, or the export's record count.</summary>
public sealed record HolderProgress(
    string Service,
    DateTimeOffset FirstAskedAt,
    DateTimeOffset LastAskedAt,
    int Attempts,
    DateTimeOffset? EscalatedAt,
    DateTimeOffset? AnsweredAt,
    JsonElement? Answer)
{
    internal static HolderProgress From(HolderStep step) => new(
        step.Service,
        step.FirstAskedAt,
        step.LastAskedAt,
        step.Attempts,
        step.EscalatedAt,
        step.AnsweredAt,
        step.Answer is null ? null : JsonDocument.Parse(step.Answer).RootElement.Clone());
}

/// <summary>A request's full history for the record: its state, every holder's answer and every audit entry.</summary>
public sealed record PrivacyRequestHistory(PrivacyRequestDetail Detail, IReadOnlyList<AuditRecord> Audit, DateTimeOffset ExportedAt);

/// <summary>One audit entry; the actor is a pseudonym, never a person's id.</summary>
public sealed record AuditRecord(long Sequence, string Action, string Actor, DateTimeOffset OccurredAt, string PreviousHash, string Hash);
