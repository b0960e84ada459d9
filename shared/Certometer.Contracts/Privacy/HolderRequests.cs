namespace Certometer.Contracts.Privacy;

// Requests PrivacyRights publishes to every declared holder. Each holder answers with the matching
// fact below, naming itself, so PrivacyRights can tell which declared holders are still silent. A request repeated
// for holders that stayed silent names them in Holders; every other holder ignores it, so none acts twice.

/// <summary>PrivacyRights asks every holder for its part of a subject's data (access or portability).</summary>
[PublishedBy("privacy-rights")]
public sealed record SubjectDataExportRequested(Guid RequestId, Guid SubjectId, DateTimeOffset RequestedAt, IReadOnlyList<string>? Holders = null)
    : IHolderRequest;

/// <summary>PrivacyRights asks every holder to erase a subject's data (or pseudonymise what the law makes it keep).</summary>
[PublishedBy("privacy-rights")]
public sealed record SubjectErasureRequested(Guid RequestId, Guid SubjectId, DateTimeOffset RequestedAt, IReadOnlyList<string>? Holders = null)
    : IHolderRequest;

/// <summary>PrivacyRights asks every holder to keep a subject's data but stop processing it.</summary>
[PublishedBy("privacy-rights")]
public sealed record ProcessingRestrictionRequested(Guid RequestId, Guid SubjectId, DateTimeOffset RequestedAt, IReadOnlyList<string>? Holders = null)
    : IHolderRequest;

/// <summary>PrivacyRights asks every holder to resume processing a subject's data (after the subject was told).</summary>
[PublishedBy("privacy-rights")]
public sealed record ProcessingRestrictionLiftRequested(Guid RequestId, Guid SubjectId, DateTimeOffset RequestedAt, IReadOnlyList<string>? Holders = null)
    : IHolderRequest;

/// <summary>
/// An order only PrivacyRights may give: it acts on a person's data (erase, lock, export, restrict). PrivacyRights signs
/// each one; a holder acts only on a valid signature, so a foothold in another service cannot order an erasure.
/// </summary>
public interface IPrivacyCommand
{
    Guid SubjectId { get; }
}

/// <summary>What every request to the holders has in common.</summary>
public interface IHolderRequest : IPrivacyCommand
{
    Guid RequestId { get; }

    /// <summary>The holders asked, by declared service name; null asks every holder.</summary>
    IReadOnlyList<string>? Holders { get; }
}
