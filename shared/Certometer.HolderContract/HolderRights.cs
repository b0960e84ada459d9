using Certometer.Contracts.Privacy;

namespace Certometer.HolderContract;

// One interface per right. A holder service implements those that apply to the data it declared; each call runs
// inside the inbox transaction of the consumer that received the request, on the service's scoped DbContext, so
// the effect, the inbox record and the answer to PrivacyRights commit together. Implementations call neither
// SaveChanges nor Commit.

/// <summary>Produces this service's part of a subject's access or portability export.</summary>
public interface ISubjectDataExporter
{
    Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken);
}

/// <summary>A holder's export part: a JSON object of the subject's records, and how many there are.</summary>
public sealed record SubjectDataExport(string ContentJson, int RecordCount);

/// <summary>Erases a subject's data, pseudonymising what the law requires this service to keep.</summary>
public interface ISubjectDataEraser
{
    /// <returns>One line per inventory category touched; lines that keep data name the legal basis and retention end.</returns>
    Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken);
}

/// <summary>Stops, and later resumes, processing of a subject's data without deleting it.</summary>
public interface IProcessingRestriction
{
    Task RestrictAsync(Guid subjectId, CancellationToken cancellationToken);

    Task LiftAsync(Guid subjectId, CancellationToken cancellationToken);
}

/// <summary>Updates this service's copies of profile fields that the subject corrected in Identity.</summary>
public interface ISubjectDataRectifier
{
    Task RectifyAsync(Guid subjectId, IReadOnlyDictionary<string, string?> changedFields, CancellationToken cancellationToken);
}
