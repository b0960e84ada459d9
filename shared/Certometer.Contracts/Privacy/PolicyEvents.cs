namespace Certometer.Contracts.Privacy;

/// <summary>
/// Operators published a new privacy policy version. Notifications tells every known recipient about the change, once
/// per recipient and version; the version text itself lives at the policy's address, not in the message.
/// </summary>
/// <param name="Version">The version's stable name, e.g. <c>2026-12</c>; unique and never edited once published.</param>
/// <param name="EffectiveAt">When the version takes effect; until then the previous version is in force.</param>
[PublishedBy("privacy-rights")]
public sealed record PrivacyPolicyPublished(
    string Version,
    DateTimeOffset EffectiveAt,
    string SummaryOfChanges,
    DateTimeOffset PublishedAt);

/// <summary>
/// The consents in force for a subject after the consent ledger recorded a choice: the only consent state services act
/// on. <paramref name="Sequence"/> grows with every change for the subject, so a service applies a message only when
/// its sequence is higher than the one it holds, and a late or redelivered one never overrules a newer withdrawal,
/// whatever any clock says.
/// </summary>
/// <param name="Marketing">Marketing consent, or null when the subject never chose.</param>
/// <param name="Analytics">Analytics consent, or null when the subject never chose.</param>
[PublishedBy("privacy-rights")]
public sealed record ConsentsInForce(
    Guid SubjectId,
    bool? Marketing,
    bool? Analytics,
    long Sequence,
    DateTimeOffset RecordedAt) : ISubjectFact;
