using System.Security.Claims;
using Certometer.Auth;
using Certometer.Persistence;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>
/// Retiring a holder: a service taken out of the company will never answer again, and without this every request
/// waiting on it would stay open for ever. Compliance staff say why; the chain records who did it and every request it
/// settled.
/// </summary>
internal static class HolderDecommissioning
{
    /// <summary>Audit entries about the registry rather than one request carry this request id.</summary>
    public static readonly Guid RegistryChange = Guid.Empty;

    public static IEndpointRouteBuilder MapHolderDecommissioning(this IEndpointRouteBuilder app)
    {
        app.MapGroup(InventoryEndpoints.PathPrefix).WithTags("Inventory").MapPost("/{service}/decommission", Decommission)
            .RequireAuthorization(PlatformPolicies.ComplianceOfficer)
            .WithName("DecommissionPersonalDataHolder")
            .WithSummary("Takes a retired service out of the registry; requests waiting on it count it as answered.");
        return app;
    }

    private static async Task<Results<Ok<HolderDecommissioned>, NotFound, ValidationProblem, ProblemHttpResult>> Decommission(
        string service,
        DecisionReason? body,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        AuditChain audit,
        RequestLifecycle lifecycle,
        IOptions<WorkflowOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (DecisionReason.ValidReasonOf(body, out var errors) is not { } reason)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (options.Value.RequiredHolders.Contains(service, StringComparer.Ordinal))
        {
            return TypedResults.Problem(
                title: "A required holder cannot be decommissioned.",
                detail: $"'{service}' is listed in PrivacyRights:Workflow:RequiredHolders; remove it there first.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var officer = CallerSubject.Actor(user);
        return await RequestChanges.RunExclusiveAsync<Results<Ok<HolderDecommissioned>, NotFound, ValidationProblem, ProblemHttpResult>>(
            db,
            async ct =>
            {
                var holder = await db.PersonalDataHolders.SingleOrDefaultAsync(h => h.Service == service, ct);
                if (holder is null)
                {
                    return TypedResults.NotFound();
                }

                var now = StoredTime.Now(clock);
                db.PersonalDataHolders.Remove(holder);
                await audit.AppendAsync(db, RegistryChange, $"HolderDecommissioned:{service}", officer, now, ct);
                var waiting = await db.Requests
                    .Where(r => r.Stage == WorkflowStage.AwaitingHolders
                        && db.HolderSteps.Any(s => s.RequestId == r.Id && s.Service == service && s.AnsweredAt == null))
                    .ToListAsync(ct);
                foreach (var request in waiting)
                {
                    await lifecycle.FireAsync(request, new HolderRetired(service, reason, officer), now, ct);
                }

                await db.SaveAndCommitAsync(ct);
                return TypedResults.Ok(new HolderDecommissioned(service, now, waiting.Count));
            },
            cancellationToken);
    }
}

/// <summary>A holder taken out of the registry, and how many open requests stopped waiting for it.</summary>
public sealed record HolderDecommissioned(string Service, DateTimeOffset DecommissionedAt, int RequestsSettled);
