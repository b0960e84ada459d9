using Certometer.Contracts.Privacy;

namespace Certometer.PrivacyRights.Intake;

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
