namespace Certometer.Contracts.Privacy;

/// <summary>A service's statement, made at every start-up, of the personal data it holds and how it honours each right.</summary>
/// <remarks>PrivacyRights keeps the latest declaration per service; the erasure and export fan-outs wait for exactly these holders.</remarks>
[PublishedBy(PublishedByAttribute.EveryHolder)]
public sealed record PersonalDataInventoryDeclared(
    string Service,
    IReadOnlyList<PersonalDataCategory> Categories,
    string OnRestriction,
    DateTimeOffset DeclaredAt) : IPrivacyAnswer;

/// <summary>PrivacyRights asks every holder to declare its inventory again, because it may have missed a declaration.</summary>
/// <remarks>
/// A declaration published before PrivacyRights first bound its queue is dropped by the broker. PrivacyRights
/// publishes this once it is listening, so every holder that is up declares again and none stays unknown.
/// </remarks>
[PublishedBy("privacy-rights")]
public sealed record PersonalDataInventoryRequested(DateTimeOffset RequestedAt);

/// <summary>One kind of personal data a service holds, and what happens to it when a subject exercises a right.</summary>
/// <param name="Name">Stable machine name, e.g. <c>billing-address</c>.</param>
/// <param name="Fields">The individual values in this category, e.g. name, street, city.</param>
/// <param name="Purpose">Why the service holds it.</param>
/// <param name="OnErasure">What an erasure request does to it.</param>
/// <param name="Exported">Whether access and portability exports include it.</param>
/// <param name="RetentionLegalBasis">For data kept or pseudonymised on erasure: the law that requires keeping it.</param>
/// <param name="RetentionMonths">For data kept or pseudonymised on erasure: how long it is kept after the event that created it.</param>
public sealed record PersonalDataCategory(
    string Name,
    IReadOnlyList<string> Fields,
    string Purpose,
    ErasureAction OnErasure,
    bool Exported,
    string? RetentionLegalBasis = null,
    int? RetentionMonths = null);

/// <summary>What a holder does with a category of personal data on erasure.</summary>
public enum ErasureAction
{
    /// <summary>Deleted outright.</summary>
    Erase,

    /// <summary>Kept because the law requires it, with every identifying field replaced by a pseudonym.</summary>
    Pseudonymise,

    /// <summary>Kept unchanged under a stated legal basis until the retention period ends.</summary>
    Retain,
}
