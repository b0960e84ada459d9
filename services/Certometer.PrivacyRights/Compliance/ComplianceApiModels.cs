using System.Text.Json;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.Workflow;

namespace Certometer.PrivacyRights.Compliance;

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
