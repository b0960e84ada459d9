using System.Security.Claims;
using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Compliance;

/// <summary>Compliance staff listing, deciding and extending data-subject requests.</summary>
internal static class ComplianceRequestEndpoints
{
    private const int MaxPageSize = 100;

    // The last page whose offset still fits in an int at the largest page size; beyond it the offset would overflow.
    private const int MaxPage = int.MaxValue / MaxPageSize;

    public static IEndpointRouteBuilder MapComplianceRequestEndpoints(this IEndpointRouteBuilder app)
    {
        var requests = app.MapGroup("/api/privacy/requests").WithTags("Compliance").RequireAuthorization(PlatformPolicies.ComplianceOfficer);
        requests.MapGet("/", List).WithName("ListPrivacyRequests")
            .WithSummary("Requests filtered by kind, status, overdue and escalated, most urgent deadline first, one bounded page at a time.");
        requests.MapGet("/{id}", Get).WithName("GetPrivacyRequest")
            .WithSummary("One request with, per holder, when it was asked, how often, and its receipt.");
        requests.MapGet("/{id}/record", History).WithName("ExportPrivacyRequestRecord")
            .WithSummary("A request's full history for the record: state, every holder's answer and every audit entry.");
        requests.MapPost("/{id}/start", Start).WithName("StartPrivacyRequest")
            .WithSummary("Starts approved work whose cooling-off is over now, or asks every silent holder again at once.");
        requests.MapPost("/{id}/approve", Approve).WithName("ApprovePrivacyRequest")
            .WithSummary("Approves a received request so the work it asks for can start; never by the officer who filed it or its subject.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        requests.MapPost("/{id}/deny", Deny).WithName("DenyPrivacyRequest")
            .WithSummary("Denies a received request with the reason the subject will be given.");
        requests.MapPost("/{id}/extend", Extend).WithName("ExtendPrivacyRequest")
            .WithSummary("Extends an open request's deadline, once only, with the reason the subject will be given.");
        return app;
    }

    private static async Task<Results<Ok<PrivacyRequestPage>, ValidationProblem>> List(
        PrivacyRightsDbContext db,
        TimeProvider clock,
        PrivacyRequestKind? kind,
        PrivacyRequestStatus? status,
        bool? overdue,
        bool? escalated,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"Pages start at 1 and end at {MaxPage}."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Between 1 and {MaxPageSize}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.GetUtcNow();
        var query = db.Requests.AsNoTracking();
        if (kind is { } k)
        {
            query = query.Where(r => r.Kind == k);
        }

        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        if (overdue is { } late)
        {
            query = late
                ? query.Where(r => PrivacyRequest.OpenStatuses.Contains(r.Status) && r.Deadline < now)
                : query.Where(r => !(PrivacyRequest.OpenStatuses.Contains(r.Status) && r.Deadline < now));
        }

        if (escalated is { } flagged)
        {
            query = flagged ? query.Where(r => r.EscalatedAt != null) : query.Where(r => r.EscalatedAt == null);
        }

        var number = page ?? 1;
        var size = pageSize ?? 20;
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(r => r.Deadline).ThenBy(r => r.Id)
            .Skip((number - 1) * size)
            .Take(size)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PrivacyRequestPage([.. items.Select(r => PrivacyRequestResponse.From(r, now))], number, size, total));
    }

    private static async Task<Results<Ok<PrivacyRequestDetail>, NotFound>> Get(
        Guid id, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        await DetailAsync(db, id, clock.GetUtcNow(), cancellationToken) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    private static async Task<Results<Ok<PrivacyRequestHistory>, NotFound>> History(
        Guid id, AuditChain chain, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await DetailAsync(db, id, now, cancellationToken) is not { } detail)
        {
            return TypedResults.NotFound();
        }

        // Every change committed before this call is in the record, linked into the chain.
        await chain.SealPendingAsync(db, cancellationToken);
        var audit = await db.AuditEntries.AsNoTracking()
            .Where(e => e.RequestId == id)
            .OrderBy(e => e.Sequence)
            .Select(e => new AuditRecord(e.Sequence, e.Action, e.Actor, e.OccurredAt, e.PreviousHash, e.Hash))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PrivacyRequestHistory(detail, audit, now));
    }

    private static async Task<PrivacyRequestDetail?> DetailAsync(PrivacyRightsDbContext db, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var steps = await db.HolderSteps.AsNoTracking().Where(s => s.RequestId == id).OrderBy(s => s.Service).ToListAsync(cancellationToken);
        var accountLock = request.Kind == PrivacyRequestKind.Erasure && request.AccountLockAttempts > 0
            ? new AccountLockProgress(request.AccountLockAskedAt, request.AccountLockAttempts, request.AccountLockedAt)
            : null;
        return new PrivacyRequestDetail(PrivacyRequestResponse.From(request, now), accountLock, [.. steps.Select(HolderProgress.From)]);
    }

    private static async Task<Results<Ok<PrivacyRequestDetail>, NotFound, ProblemHttpResult>> Start(
        Guid id, ClaimsPrincipal user, PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock, CancellationToken cancellationToken)
    {
        switch (await lifecycle.FireAsync(id, new StartWork(CallerSubject.Actor(user)), cancellationToken))
        {
            case null:
                return TypedResults.NotFound();
            case { Outcome.Refusal: { } refusal }:
                return refusal.ToProblem();
            default:
                return TypedResults.Ok((await DetailAsync(db, id, clock.GetUtcNow(), cancellationToken))!);
        }
    }

    private static Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, ClaimsPrincipal user, RequestLifecycle lifecycle, CancellationToken cancellationToken) =>
        FireAsync(lifecycle, id, new ApproveRequest(CallerSubject.Actor(user)), cancellationToken);

    private static async Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Deny(
        Guid id, DecisionReason? body, ClaimsPrincipal user, RequestLifecycle lifecycle, CancellationToken cancellationToken) =>
        DecisionReason.ValidReasonOf(body, out var errors) is { } reason
            ? await FireAsync(lifecycle, id, new DenyRequest(CallerSubject.Actor(user), reason), cancellationToken)
            : TypedResults.ValidationProblem(errors);

    private static async Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Extend(
        Guid id, DecisionReason? body, ClaimsPrincipal user, RequestLifecycle lifecycle, CancellationToken cancellationToken) =>
        DecisionReason.ValidReasonOf(body, out var errors) is { } reason
            ? await FireAsync(lifecycle, id, new ExtendDeadline(CallerSubject.Actor(user), reason), cancellationToken)
            : TypedResults.ValidationProblem(errors);

    private static async Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> FireAsync(
        RequestLifecycle lifecycle, Guid id, RequestCommand command, CancellationToken cancellationToken) =>
        await lifecycle.FireAsync(id, command, cancellationToken) switch
        {
            null => TypedResults.NotFound(),
            { Outcome.Refusal: { } refusal } => refusal.ToProblem(),
            var (request, outcome) => TypedResults.Ok(PrivacyRequestResponse.From(request, outcome.At)),
        };
}
