using Certometer.Contracts.Privacy;

namespace Certometer.PrivacyRights.Requests;

/// <summary>A subject's request to exercise a right; the subject is the caller, never named in the body.</summary>
/// <param name="ContactEmail">Where to write about this request, if not the account's address.</param>
public sealed record SubmitPrivacyRequest(PrivacyRequestKind? Kind, string? ContactEmail = null);

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
    DateTimeOffset? CancelledAt)
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
        request.CancelledAt);
}

/// <summary>One page of requests for compliance staff, most urgent deadline first.</summary>
public sealed record PrivacyRequestPage(IReadOnlyList<PrivacyRequestResponse> Items, int Page, int PageSize, int Total);
