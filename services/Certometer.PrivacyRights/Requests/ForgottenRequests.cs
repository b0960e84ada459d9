using Certometer.PrivacyRights.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Requests;

/// <summary>
/// What erasing a subject leaves of their requests, in one place for both paths that do it: PrivacyRights answering
/// the erasure as a holder, and the erasure itself when it closes.
/// </summary>
internal static class ForgottenRequests
{
    /// <summary>
    /// The requests keep their evidence (kind, status, dates, audit entries) but lose the subject id, the address and
    /// the free text staff wrote about the subject (why a request was denied or extended, how they checked who asked).
    /// </summary>
    public static Task<int> ForgetSubjectOfAsync(IQueryable<PrivacyRequest> requests, CancellationToken cancellationToken) =>
        requests.ExecuteUpdateAsync(
            update => update
                .SetProperty(r => r.SubjectId, PrivacyRequest.ForgottenSubject)
                .SetProperty(r => r.ContactEmail, (string?)null)
                .SetProperty(r => r.PreferredLanguage, (string?)null)
                .SetProperty(r => r.DenialReason, (string?)null)
                .SetProperty(r => r.ExtensionReason, (string?)null)
                .SetProperty(r => r.VerificationNote, (string?)null),
            cancellationToken);

    /// <summary>Deletes the holders' parts already collected for any of the subject's requests: copies of their data.</summary>
    public static Task<int> DeleteExportPartsAsync(PrivacyRightsDbContext db, Guid subjectId, CancellationToken cancellationToken) =>
        db.ExportParts.Where(p => db.Requests.Any(r => r.Id == p.RequestId && r.SubjectId == subjectId)).ExecuteDeleteAsync(cancellationToken);
}
