namespace Certometer.Contracts.Privacy;

// A request made without signing in is verified by a one-time code sent to the account's own address. PrivacyRights
// cannot map an address to a subject; Identity can, and it alone decides whether anything is sent. PrivacyRights keeps
// a keyed hash of the code; once Identity knows the subject, the code and address travel sealed under the subject's key,
// and Notifications blanks them once sent. Only the lookup itself, which names no subject yet, carries them plain, and
// its outbox row forgets them as soon as the broker has it.

/// <summary>
/// Someone asked, without signing in, to make a request for the account with this address. Identity looks the address
/// up and, only if an account has it, has the code sent to that account and tells PrivacyRights whose request it is.
/// </summary>
/// <param name="VerificationId">The pending verification in PrivacyRights the code belongs to.</param>
/// <param name="Email">The address as typed; matched to accounts regardless of case.</param>
/// <param name="Code">The one-time code, for the email only; nobody along the way stores it beyond sending.</param>
/// <param name="ExpiresAt">After this the code is useless: a late message is not worth sending.</param>
[PublishedBy("privacy-rights")]
public sealed record PrivacyRequestVerificationRequested(
    Guid VerificationId, string Email, PrivacyRequestKind Kind, string Code, DateTimeOffset ExpiresAt, DateTimeOffset RequestedAt);

/// <summary>Identity found the account for a pending verification: Notifications emails the code to the account's address.</summary>
/// <param name="Email">The account's address (not the one typed), so the code reaches only the account's owner.</param>
[PublishedBy("identity")]
public sealed record PrivacyRequestVerificationCodeAddressed(
    Guid VerificationId,
    Guid SubjectId,
    [property: PersonalValue] string Email,
    [property: PersonalValue] string Name,
    string? PreferredLanguage,
    PrivacyRequestKind Kind,
    [property: PersonalValue] string Code,
    DateTimeOffset ExpiresAt);

/// <summary>Identity tells PrivacyRights whose account a pending verification's address belongs to; never sent when none does.</summary>
[PublishedBy("identity")]
public sealed record PrivacyRequesterIdentified(Guid VerificationId, Guid SubjectId, DateTimeOffset IdentifiedAt);
