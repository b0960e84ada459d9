using Certometer.Auth;
using Certometer.PrivacyRights.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Audit;

/// <summary>One audit entry as compliance staff see it; the actor is a pseudonym.</summary>
public sealed record AuditEntryResponse(long Sequence, Guid RequestId, string Action, string Actor, DateTimeOffset OccurredAt, string PreviousHash, string Hash);

internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var privacy = app.MapGroup("/api/privacy").WithTags("Audit").RequireAuthorization(PlatformPolicies.ComplianceOfficer);
        privacy.MapGet("/audit/verify", Verify).WithName("VerifyAuditChain")
            .WithSummary("Recomputes the audit chain and names the first entry that does not match, if any.");
        privacy.MapGet("/requests/{id}/history", History).WithName("GetPrivacyRequestHistory")
            .WithSummary("Every audit entry for one request, oldest first.");
        return app;
    }

    private static async Task<Ok<AuditVerification>> Verify(PrivacyRightsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AuditChain.VerifyAsync(db, cancellationToken));

    private static async Task<Results<Ok<AuditEntryResponse[]>, NotFound>> History(Guid id, PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Requests.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => e.RequestId == id)
            .OrderBy(e => e.Sequence)
            .Select(e => new AuditEntryResponse(e.Sequence, e.RequestId, e.Action, e.Actor, e.OccurredAt, e.PreviousHash, e.Hash))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(entries);
    }
}
