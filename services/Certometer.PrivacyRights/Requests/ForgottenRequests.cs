using Certometer.PrivacyRights.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Requests;

/// <summary>
/// What erasing a subject leaves of their requests. Each request is forgotten once, by whichever of the two paths meets
/// it first: PrivacyRights answering the erasure as a holder forgets the requests already finished, and the erasure,
/// when it closes, forgets the rest (itself, and any request still open or made since), which still need the subject.
/// </summary>
internal static class ForgottenRequests
{
    /// <summary>
    /// Deletes the copies of the subject's data collected for <paramref name="requests"/> (holders' export parts, compiled
    /// packages), then strips the requests down to their evidence (kind, status, dates, audit entries): no subject id,
    /// address, or free text staff wrote about the subject (why a request was denied or extended, how they checked who
    /// asked). Answers how many requests were forgotten and how many copies deleted.
    /// </summary>
    public static async Task<(int Requests, int Copies)> ForgetAsync(
        PrivacyRightsDbContext db, IQueryable<PrivacyRequest> requests, CancellationToken cancellationToken)
    {
        // The copies first, while their requests can still be found by subject.
        var parts = await db.ExportParts.Where(p => requests.Any(r => r.Id == p.RequestId)).ExecuteDeleteAsync(cancellationToken);
        var packages = await db.AccessPackages.Where(p => requests.Any(r => r.Id == p.RequestId)).ExecuteDeleteAsync(cancellationToken);
        var forgotten = await requests.ExecuteUpdateAsync(
            update => update
                .SetProperty(r => r.SubjectId, PrivacyRequest.ForgottenSubject)
                .SetProperty(r => r.ContactEmail, (string?)null)
                .SetProperty(r => r.PreferredLanguage, (string?)null)
                .SetProperty(r => r.DenialReason, (string?)null)
                .SetProperty(r => r.ExtensionReason, (string?)null)
                .SetProperty(r => r.VerificationNote, (string?)null),
            cancellationToken);
        return (forgotten, parts + packages);
    }
}
