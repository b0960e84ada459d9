using System.Security.Claims;
using Certometer.Auth;
using Certometer.Persistence;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Intake;

/// <summary>A signed-in subject making, following and cancelling their own requests.</summary>
internal static class SubjectRequestEndpoints
{
    public static IEndpointRouteBuilder MapSubjectRequestEndpoints(this IEndpointRouteBuilder app)
    {
        // The subject is always the token's: there is no way to make or read a request for somebody else here.
        var privacy = app.MapGroup("/api/privacy").WithTags("Requests").RequireAuthorization(PlatformPolicies.SignedIn);
        privacy.MapPost("/requests", Submit).WithName("SubmitPrivacyRequest")
            .WithSummary("Makes a data-subject request for the signed-in person; its legal deadline starts now.");
        privacy.MapGet("/me/requests", ListMine).WithName("ListMyPrivacyRequests")
            .WithSummary("The signed-in person's requests, newest first, with status and days left.");
        // Another subject's request id answers 404, exactly like an unknown one, so ids cannot be probed.
        privacy.MapPost("/me/requests/{id}/cancel", Cancel).WithName("CancelMyPrivacyRequest")
            .WithSummary("Withdraws one of the signed-in person's requests while no work on it has started.");
        privacy.MapGet("/me/requests/{id}", GetMine).WithName("GetMyPrivacyRequest")
            .WithSummary("One of the signed-in person's requests, with status, stage and days left.");
        return app;
    }

    private static async Task<Results<Created<PrivacyRequestResponse>, ValidationProblem, ProblemHttpResult>> Submit(
        SubmitPrivacyRequest body,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        RequestIntake intake,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        var errors = new Dictionary<string, string[]>();
        var kind = RequestIntake.ValidKind(body.Kind, errors);
        var contactEmail = RequestIntake.ValidEmail(body.ContactEmail, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await RequestChanges.RunAsync<Results<Created<PrivacyRequestResponse>, ValidationProblem, ProblemHttpResult>>(
            db,
            subjectId,
            async ct =>
            {
                var incoming = new IncomingRequest(subjectId, kind!.Value, contactEmail, RequestChannel.SubjectPortal, subjectId.ToString("D"));
                var (request, duplicate) = await intake.ReceiveAsync(db, incoming, ct);
                if (duplicate is not null)
                {
                    return duplicate;
                }

                await db.SaveAndCommitAsync(ct);
                return TypedResults.Created($"/api/privacy/me/requests/{request!.Id}", PrivacyRequestResponse.From(request, request.ReceivedAt));
            },
            cancellationToken);
    }

    private static async Task<Results<Ok<PrivacyRequestResponse[]>, ProblemHttpResult>> ListMine(
        ClaimsPrincipal user, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        var requests = await db.Requests.AsNoTracking()
            .Where(r => r.SubjectId == subjectId)
            .OrderByDescending(r => r.ReceivedAt)
            .Take(200)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(requests.Select(r => PrivacyRequestResponse.From(r, now)).ToArray());
    }

    private static async Task<Results<Ok<PrivacyRequestResponse>, NotFound, ProblemHttpResult>> Cancel(
        Guid id, ClaimsPrincipal user, RequestLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        // Until work starts: for an approved erasure, that is the cooling-off period the subject was promised.
        return await lifecycle.FireAsync(id, new CancelRequest(subjectId.ToString("D")), cancellationToken, visible: r => r.SubjectId == subjectId) switch
        {
            null => TypedResults.NotFound(),
            { Outcome.Refusal: { } refusal } => refusal.ToProblem(),
            var (request, outcome) => TypedResults.Ok(PrivacyRequestResponse.From(request, outcome.At)),
        };
    }

    private static async Task<Results<Ok<PrivacyRequestResponse>, NotFound, ProblemHttpResult>> GetMine(
        Guid id, ClaimsPrincipal user, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        var request = await db.Requests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.SubjectId == subjectId, cancellationToken);
        return request is null ? TypedResults.NotFound() : TypedResults.Ok(PrivacyRequestResponse.From(request, clock.GetUtcNow()));
    }
}
