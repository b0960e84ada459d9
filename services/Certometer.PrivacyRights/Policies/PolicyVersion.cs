
namespace Certometer.PrivacyRights.Policies;

/// <summary>A published privacy policy version; never edited once published, so what a person accepted stays what they read.</summary>
public sealed class PolicyVersion
{
    public required string Version { get; init; }

    public required DateTimeOffset EffectiveAt { get; init; }

    public required string SummaryOfChanges { get; init; }

    /// <summary>Where the full text of this version is published, if operators gave one.</summary>
    public string? Url { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }
}

/// <summary>A person's acceptance of one policy version, kept under their pseudonym so erasure elsewhere never has to touch it.</summary>
public sealed class PolicyAcceptance
{
    public long Id { get; init; }

    public required string SubjectPseudonym { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset AcceptedAt { get; init; }
}

/// <summary>Which version is in force when, for acceptances, the consent ledger and the anonymous reads.</summary>
internal static class PolicyVersions
{
    /// <summary>The latest version whose effective date has come by <paramref name="at"/>, or null before the first one.</summary>
    public static IQueryable<PolicyVersion> InForceAt(this IQueryable<PolicyVersion> versions, DateTimeOffset at) =>
        versions.Where(p => p.EffectiveAt <= at).OrderByDescending(p => p.EffectiveAt).ThenByDescending(p => p.PublishedAt).Take(1);
}
