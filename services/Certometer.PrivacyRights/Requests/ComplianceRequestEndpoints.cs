using System.Security.Claims;
using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Requests;

/// <summary>Compliance staff listing, deciding and extending data-subject requests.</summary>
internal static class ComplianceRequestEndpoints
{
    private const int MaxPageSize = 100;

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
            .WithSummary("Approves a received request so the work it asks for can start.");
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
        if (page is < 1)
        {
            errors["page"] = ["Pages start at 1."];
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
        Guid id, PrivacyRightsDbContext db, IServiceProvider services, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return TypedResults.NotFound();
        }

        var now = RequestChanges.Now(clock);
        if (request.Status == PrivacyRequestStatus.Approved && request.WorkStartsAt > now)
        {
            // The cooling-off period is the subject's to use; staff cannot cut it short.
            return TypedResults.Problem(
                title: "The erasure's cooling-off period is not over.",
                detail: $"The subject can still cancel it; it starts by itself at {request.WorkStartsAt:O}.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["workStartsAt"] = request.WorkStartsAt });
        }

        if (request.Status is not (PrivacyRequestStatus.Approved or PrivacyRequestStatus.InProgress))
        {
            return TypedResults.Problem(
                title: "Only approved or in-progress work can be started.", detail: $"It is {request.Status}.", statusCode: StatusCodes.Status409Conflict);
        }

        await WorkflowClock.AdvanceAsync(services, id, now, askSilentNow: true, cancellationToken);
        return TypedResults.Ok((await DetailAsync(db, id, clock.GetUtcNow(), cancellationToken))!);
    }

    private static Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Approve(
        Guid id, ClaimsPrincipal user, PrivacyRightsDbContext db, AuditChain audit, RequestWorkflow workflow, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(id, user, db, audit, clock, PrivacyRequestStatus.Approved, (request, now, ct) => workflow.ApproveAsync(request, now, ct), cancellationToken);

    private static Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Deny(
        Guid id, DecisionReason? body, ClaimsPrincipal user, PrivacyRightsDbContext db, AuditChain audit, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (RequestChanges.ValidReason(body, out var errors) is not { } reason)
        {
            return Task.FromResult<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>(TypedResults.ValidationProblem(errors));
        }

        return DecideAsync(id, user, db, audit, clock, PrivacyRequestStatus.Denied, (request, now, _) =>
        {
            request.Status = PrivacyRequestStatus.Denied;
            request.DecidedAt = now;
            request.DenialReason = reason;
            db.AddIntegrationEvent(new PrivacyRequestDenied(request.Id, request.SubjectId, request.Kind, reason, now), clock);
            return Task.CompletedTask;
        }, cancellationToken);
    }

    private static async Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Extend(
        Guid id,
        DecisionReason? body,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        AuditChain audit,
        IOptions<PrivacyRightsOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (RequestChanges.ValidReason(body, out var errors) is not { } reason)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await RequestChanges.RunAsync<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>(
            db,
            id,
            async ct =>
            {
                var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == id, ct);
                if (request is null)
                {
                    return TypedResults.NotFound();
                }

                if (!request.IsOpen)
                {
                    return TypedResults.Problem(
                        title: "Only an open request can be extended.", detail: $"It is {request.Status}.", statusCode: StatusCodes.Status409Conflict);
                }

                // GDPR art. 12(3) allows one extension; a second would silently stretch the subject's legal deadline.
                if (request.ExtendedAt is not null)
                {
                    return TypedResults.Problem(
                        title: "This request has already been extended.",
                        detail: "A deadline can be extended once only.",
                        statusCode: StatusCodes.Status409Conflict);
                }

                var now = RequestChanges.Now(clock);
                var previous = request.Deadline;
                request.Deadline = options.Value.ExtendedFrom(previous);
                request.ExtendedAt = now;
                request.ExtensionReason = reason;
                await audit.AppendAsync(db, request.Id, "Extended", CallerSubject.Actor(user), now, ct);
                db.AddIntegrationEvent(
                    new PrivacyRequestExtended(request.Id, request.SubjectId, request.Kind, reason, previous, request.Deadline, now), clock);
                await db.SaveAndCommitAsync(ct);
                return TypedResults.Ok(PrivacyRequestResponse.From(request, now));
            },
            cancellationToken);
    }

    /// <summary>Approve and deny: both decide a request that has only been received.</summary>
    private static Task<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Guid id,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        AuditChain audit,
        TimeProvider clock,
        PrivacyRequestStatus decision,
        Func<PrivacyRequest, DateTimeOffset, CancellationToken, Task> decide,
        CancellationToken cancellationToken) =>
        RequestChanges.RunAsync<Results<Ok<PrivacyRequestResponse>, NotFound, ValidationProblem, ProblemHttpResult>>(
            db,
            id,
            async ct =>
            {
                var request = await db.Requests.SingleOrDefaultAsync(r => r.Id == id, ct);
                if (request is null)
                {
                    return TypedResults.NotFound();
                }

                if (request.Status != PrivacyRequestStatus.Received)
                {
                    return TypedResults.Problem(
                        title: "Only a received request can be decided.", detail: $"It is {request.Status}.", statusCode: StatusCodes.Status409Conflict);
                }

                var now = RequestChanges.Now(clock);
                // The decision is recorded before whatever it sets off, so the chain reads in the order things happened,
                // and with the status it leaves the request in, which is what its entry attests.
                request.Status = decision;
                await audit.AppendAsync(db, request.Id, decision.ToString(), CallerSubject.Actor(user), now, ct);
                await decide(request, now, ct);
                await db.SaveAndCommitAsync(ct);
                return TypedResults.Ok(PrivacyRequestResponse.From(request, now));
            },
            cancellationToken);
}
