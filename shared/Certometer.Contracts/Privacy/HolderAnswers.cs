namespace Certometer.Contracts.Privacy;

/// <summary>
/// A fact PrivacyRights acts on, which only the service it comes from may state: that service signs it with its own key,
/// and PrivacyRights accepts it only under the key of <see cref="Service"/>, so no holder can answer for another.
/// </summary>
public interface IPrivacyAnswer
{
    /// <summary>The service the answer comes from, by its declared holder name.</summary>
    string Service { get; }
}

/// <summary>A holder's part of a subject's data export, as JSON that PrivacyRights embeds unchanged in the package.</summary>
/// <param name="ContentJson">A JSON object with the holder's records for the subject; <c>{}</c> when it holds none.</param>
/// <param name="RecordCount">How many records the part contains, for the readable summary.</param>
/// <param name="SubjectId">
/// Whose data the part is. PrivacyRights goes by the request; the id is here so that the part travels sealed under the
/// subject's key, and so that the holder's erasure finds the sent copy of this part in its outbox, as it finds every
/// other event naming the subject, and deletes it.
/// </param>
[PublishedBy(PublishedByAttribute.EveryHolder)]
public sealed record SubjectDataExported(
    Guid RequestId,
    string Service,
    [property: PersonalValue] string ContentJson,
    int RecordCount,
    DateTimeOffset ExportedAt,
    Guid SubjectId) : IPrivacyAnswer;

/// <summary>A holder's receipt for an erasure: what it touched and what it kept, and why.</summary>
[PublishedBy(PublishedByAttribute.EveryHolder)]
public sealed record SubjectErased(Guid RequestId, string Service, ErasureReceipt Receipt) : IPrivacyAnswer;

/// <summary>What one holder did for one erasure request.</summary>
public sealed record ErasureReceipt(IReadOnlyList<ErasureReceiptLine> Lines, DateTimeOffset CompletedAt)
{
    public int TotalRows => Lines.Sum(line => line.Rows);
}

/// <summary>One category's outcome in an erasure receipt.</summary>
/// <param name="Category">The inventory category name.</param>
/// <param name="Rows">How many rows were erased, pseudonymised or kept.</param>
/// <param name="LegalBasis">Required when the action is not <see cref="ErasureAction.Erase"/>.</param>
/// <param name="RetainedUntil">Required when the action is not <see cref="ErasureAction.Erase"/>.</param>
public sealed record ErasureReceiptLine(
    string Category,
    ErasureAction Action,
    int Rows,
    string? LegalBasis = null,
    DateOnly? RetainedUntil = null);

/// <summary>A holder has stopped processing a subject's data.</summary>
[PublishedBy(PublishedByAttribute.EveryHolder)]
public sealed record ProcessingRestrictionApplied(Guid RequestId, string Service, DateTimeOffset AppliedAt) : IPrivacyAnswer;

/// <summary>A holder has resumed processing a subject's data.</summary>
[PublishedBy(PublishedByAttribute.EveryHolder)]
public sealed record ProcessingRestrictionLifted(Guid RequestId, string Service, DateTimeOffset LiftedAt) : IPrivacyAnswer;
