using Certometer.Contracts.Privacy;

namespace Certometer.PrivacyRights.Requests;

/// <summary>The reason compliance staff give the subject when denying or extending a request.</summary>
public sealed record DecisionReason(string? Reason)
{
    public const int MaxLength = 2000;

    /// <summary>The reason, trimmed, or null with the validation errors to answer when it is missing or too long.</summary>
    public static string? ValidReasonOf(DecisionReason? body, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors["reason"] = ["A reason is required: the subject must be told why."];
            return null;
        }

        if (reason.Length > MaxLength)
        {
            errors["reason"] = [$"At most {MaxLength} characters."];
            return null;
        }

        return reason;
    }
}

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
