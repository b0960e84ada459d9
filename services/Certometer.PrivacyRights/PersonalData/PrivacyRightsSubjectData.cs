using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.PersonalData;

/// <summary>
/// PrivacyRights answers the fan-outs like every other holder, through the same contract, so the workflow needs no
/// special case for itself.
/// </summary>
internal sealed class PrivacyRightsSubjectData(PrivacyRightsDbContext db, SubjectPseudonyms pseudonyms, TimeProvider clock)
    : ISubjectDataExporter, ISubjectDataEraser, IProcessingRestriction
{
    private const int RetentionMonths = 36;

    public async Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var requests = await db.Requests.AsNoTracking()
            .Where(r => r.SubjectId == subjectId)
            .OrderBy(r => r.ReceivedAt)
            .Select(r => new
            {
                r.Id,
                Kind = r.Kind.ToString(),
                Status = r.Status.ToString(),
                r.ContactEmail,
                r.ReceivedAt,
                r.Deadline,
                r.DecidedAt,
                r.DenialReason,
                r.ExtensionReason,
                r.CompletedAt,
            })
            .ToListAsync(cancellationToken);
        var pseudonym = pseudonyms.Of(subjectId);
        var consents = await db.ConsentLedger.AsNoTracking()
            .Where(c => c.SubjectPseudonym == pseudonym)
            .OrderBy(c => c.RecordedAt)
            .Select(c => new { c.Kind, c.Given, c.Source, c.PolicyVersion, c.RecordedAt })
            .ToListAsync(cancellationToken);
        var policyAcceptances = await db.PolicyAcceptances.AsNoTracking()
            .Where(a => a.SubjectPseudonym == pseudonym)
            .OrderBy(a => a.AcceptedAt)
            .Select(a => new { a.Version, a.AcceptedAt })
            .ToListAsync(cancellationToken);
        var content = JsonSerializer.Serialize(new { requests, consents, policyAcceptances }, InventoryJson.Options);
        return new SubjectDataExport(content, requests.Count + consents.Count + policyAcceptances.Count);
    }

    /// <summary>
    /// Finished requests keep their evidence but lose the subject id, the address and the copies collected for them;
    /// open ones, and erasures that have not closed yet (the erasure asking, among them), are forgotten by the workflow
    /// when the erasure closes. The consent ledger and policy acceptances are already pseudonymous.
    /// </summary>
    public async Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var retainedUntil = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(RetentionMonths);
        // An erasure is completed before it is closed: it still needs the address to tell the subject and the subject
        // id to forget them everywhere. A repeated ask that arrives late (this service was down when it was first
        // asked, so it was asked again, and both asks reach it after the erasure completed) must not take them away.
        var finished = db.Requests.Where(r =>
            r.SubjectId == subjectId
            && !PrivacyRequest.OpenStatuses.Contains(r.Status)
            && !(r.Kind == PrivacyRequestKind.Erasure && r.Stage != WorkflowStage.Closed));
        var contacts = await finished.CountAsync(r => r.ContactEmail != null, cancellationToken);
        var (requests, packages) = await ForgottenRequests.ForgetAsync(db, finished, cancellationToken);
        var verifications = await db.RequestVerifications.Where(v => v.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);
        var pseudonym = pseudonyms.Of(subjectId);
        var consents = await db.ConsentLedger.CountAsync(c => c.SubjectPseudonym == pseudonym, cancellationToken);
        var acceptances = await db.PolicyAcceptances.CountAsync(a => a.SubjectPseudonym == pseudonym, cancellationToken);
        return
        [
            new ErasureReceiptLine(PrivacyRightsPersonalData.Requests, ErasureAction.Pseudonymise, requests, PrivacyRightsPersonalData.RequestsLegalBasis, retainedUntil),
            new ErasureReceiptLine(PrivacyRightsPersonalData.ContactAddress, ErasureAction.Erase, contacts),
            new ErasureReceiptLine(PrivacyRightsPersonalData.AccessPackages, ErasureAction.Erase, packages),
            new ErasureReceiptLine(PrivacyRightsPersonalData.RequestVerifications, ErasureAction.Erase, verifications),
            new ErasureReceiptLine(PrivacyRightsPersonalData.ConsentLedger, ErasureAction.Retain, consents, PrivacyRightsPersonalData.ConsentLegalBasis, retainedUntil),
            new ErasureReceiptLine(PrivacyRightsPersonalData.PolicyAcceptances, ErasureAction.Retain, acceptances, PrivacyRightsPersonalData.PolicyAcceptancesLegalBasis, retainedUntil),
        ];
    }

    // PrivacyRights processes nothing but the requests themselves, which a restriction must not stop.
    public Task RestrictAsync(Guid subjectId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task LiftAsync(Guid subjectId, CancellationToken cancellationToken) => Task.CompletedTask;
}
