namespace Certometer.Contracts.Identity;

/// <summary>A learner created an account. Notifications welcomes them; holders that copy profile fields start here.</summary>
/// <param name="PreferredLanguage">An IETF language tag (e.g. <c>en</c>, <c>de-CH</c>), or null when none was given.</param>
[PublishedBy("identity")]
public sealed record LearnerRegistered(
    Guid SubjectId,
    [property: PersonalValue] string Name,
    [property: PersonalValue] string Email,
    string? PreferredLanguage,
    DateTimeOffset RegisteredAt) : ISubjectFact;

/// <summary>Identity's profile changed; every holder with a copy of a changed field updates it.</summary>
/// <param name="ChangedFields">Profile field name (e.g. <c>email</c>, <c>name</c>) to its new value; null when cleared.</param>
[PublishedBy("identity")]
public sealed record SubjectDataRectified(
    Guid SubjectId,
    [property: PersonalValue] IReadOnlyDictionary<string, string?> ChangedFields,
    DateTimeOffset RectifiedAt) : ISubjectFact;

/// <summary>
/// Consent choices a subject made somewhere other than the privacy centre (at registration, in Notifications'
/// preferences), including refusals. Only the consent ledger in PrivacyRights consumes it: the ledger decides what
/// is in force and tells every service through <see cref="Privacy.ConsentsInForce"/>.
/// </summary>
/// <param name="Marketing">The marketing choice, or null when none was made here (the one in force stands).</param>
/// <param name="Analytics">The analytics choice, or null when none was made here.</param>
/// <param name="Source">Where the choice was made, e.g. <c>registration</c>.</param>
[PublishedBy("identity", "notifications")]
public sealed record ConsentChoicesRecorded(
    Guid SubjectId,
    bool? Marketing,
    bool? Analytics,
    string Source,
    DateTimeOffset RecordedAt) : ISubjectFact;

/// <summary>PrivacyRights asks Identity to stop a subject signing in and to revoke every token they hold, before erasure.</summary>
[PublishedBy("privacy-rights")]
public sealed record AccountLockRequested(Guid RequestId, Guid SubjectId, DateTimeOffset RequestedAt) : Privacy.IPrivacyCommand;

/// <summary>Identity has locked the account: no new sign-in, no refresh, every stored token revoked.</summary>
/// <param name="AccountFound">False when no account exists for the subject (already erased, or never registered).</param>
/// <param name="Email">
/// The account's address, so PrivacyRights can tell the subject when the erasure completes after every holder (Identity
/// included) has forgotten it; PrivacyRights drops it once that message is delivered.
/// </param>
/// <param name="PreferredLanguage">The account's language, for the same message.</param>
[PublishedBy("identity")]
public sealed record AccountLocked(
    Guid RequestId,
    Guid SubjectId,
    bool AccountFound,
    int TokensRevoked,
    DateTimeOffset LockedAt,
    [property: PersonalValue] string? Email = null,
    string? PreferredLanguage = null) : Privacy.IPrivacyAnswer
{
    /// <summary>
    /// Only Identity's key may sign an account lock. Not "whichever holder declared a lock right": no inventory declares
    /// one, as PrivacyRights asks Identity alone (<see cref="AccountLockRequested"/>), by contract rather than through the
    /// registry; and a forged lock would start an erasure while the account could still sign in.
    /// </summary>
    public const string Locker = "identity";

    string Privacy.IPrivacyAnswer.Service => Locker;
}

/// <summary>
/// The subject, signed in and with their password, asked to change their sign-in address. Nothing uses the new address
/// until its owner opens the confirmation link; Notifications sends the link there and tells the current address that a
/// change was asked for, so a stolen session cannot move the account's mail away unnoticed.
/// </summary>
/// <param name="NewEmail">The address asked for; the account keeps its current one until the link is used.</param>
/// <param name="ConfirmationUrl">The one-use link that makes the change, for the new address; a secret, forgotten once sent.</param>
/// <param name="CancellationUrl">The link that stops the change, for the current address; a secret too.</param>
/// <param name="ExpiresAt">After this the link no longer works: a late message is not worth sending.</param>
[PublishedBy("identity")]
public sealed record EmailChangeRequested(
    Guid SubjectId,
    [property: PersonalValue] string NewEmail,
    [property: PersonalValue] string ConfirmationUrl,
    [property: PersonalValue] string CancellationUrl,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RequestedAt) : ISubjectFact;

/// <summary>
/// Someone signed up with an address no confirmed account has. The account exists in Identity only, unable to sign in,
/// until whoever reads the address opens the link; only then is <see cref="LearnerRegistered"/> published. Notifications
/// sends the link, to a person no service knows yet.
/// </summary>
/// <param name="SubjectId">The waiting account; no other service has heard of it.</param>
/// <param name="Email">The address given, where the link goes.</param>
/// <param name="ConfirmationUrl">The one-use link that makes the account; a secret, forgotten once sent.</param>
/// <param name="ExpiresAt">After this the link no longer works and Identity deletes the waiting account.</param>
[PublishedBy("identity")]
public sealed record SignUpConfirmationRequested(
    Guid SubjectId,
    [property: PersonalValue] string Email,
    string? PreferredLanguage,
    [property: PersonalValue] string ConfirmationUrl,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RequestedAt) : ISubjectFact;

/// <summary>
/// Someone signed up with the address of an existing account. They got the same answer as for a new address; the
/// account's owner is told instead, so a person who forgot they had an account learns it, and nobody else does.
/// </summary>
/// <param name="Email">The account's address, where the notice goes.</param>
/// <param name="SignInUrl">Where the owner signs in.</param>
[PublishedBy("identity")]
public sealed record SignUpAttemptedForExistingAccount(
    Guid SubjectId,
    [property: PersonalValue] string Email,
    [property: PersonalValue] string Name,
    string? PreferredLanguage,
    string SignInUrl,
    DateTimeOffset AttemptedAt) : ISubjectFact;
