namespace Certometer.Contracts.Privacy;

/// <summary>
/// Operators published a new privacy policy version. Notifications tells every known recipient about the change, once
/// per recipient and version; the version text itself lives at the policy's address, not in the message.
/// </summary>
/// <param name="Version">The version's stable name, e.g. <c>2026-12</c>; unique and never edited once published.</param>
/// <param name="EffectiveAt">When the version takes effect; until then the previous version is in force.</param>
public sealed record PrivacyPolicyPublished(
    string Version,
    DateTimeOffset EffectiveAt,
    string SummaryOfChanges,
    DateTimeOffset PublishedAt);
