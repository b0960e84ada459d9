using Certometer.Auth;
using Certometer.PrivacyRights.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Audit;

/// <summary>One audit entry as compliance staff see it; the actor is a pseudonym, a receipt only its digest.</summary>
public sealed record AuditEntryResponse(
    long Sequence,
    Guid RequestId,
    string Action,
    string Actor,
    DateTimeOffset OccurredAt,
    string? RequestStatus,
    string? RequestStage,
    string? ReceiptDigest,
    string PreviousHash,
    string Hash);

internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var privacy = app.MapGroup("/api/privacy").WithTags("Audit").RequireAuthorization(PlatformPolicies.ComplianceOfficer);
        privacy.MapGet("/audit/verify", Verify).WithName("VerifyAuditChain")
            .WithSummary("Recomputes the audit chain with its key, checks each receipt and the last signed checkpoint, and names the first check that fails.");
        privacy.MapGet("/requests/{id}/history", History).WithName("GetPrivacyRequestHistory")
            .WithSummary("Every audit entry for one request, oldest first.");
        return app;
    }

    private static async Task<Ok<AuditVerification>> Verify(
        AuditChain chain, AuditCheckpoints checkpoints, PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        // The checkpoint first: the chain read after it can only have grown, so falling short of it means it was cut.
        var lastCheckpoint = checkpoints.ReadLast();
        await chain.SealPendingAsync(db, cancellationToken);
        return TypedResults.Ok(await chain.VerifyAsync(db, lastCheckpoint, cancellationToken));
    }

    private static async Task<Results<Ok<AuditEntryResponse[]>, NotFound>> History(
        Guid id, AuditChain chain, PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Requests.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        // Every change committed before this call is in the history, linked into the chain.
        await chain.SealPendingAsync(db, cancellationToken);
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => e.RequestId == id)
            .OrderBy(e => e.Sequence)
            .Select(e => new AuditEntryResponse(
                e.Sequence, e.RequestId, e.Action, e.Actor, e.OccurredAt, e.RequestStatus, e.RequestStage, e.ReceiptDigest, e.PreviousHash, e.Hash))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(entries);
    }
}
