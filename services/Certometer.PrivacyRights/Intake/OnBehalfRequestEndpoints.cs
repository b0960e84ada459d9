using System.Security.Claims;
using Certometer.Auth;
using Certometer.Persistence;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.PrivacyRights.Intake;

/// <summary>Compliance staff making a request for a subject who asked by post, phone or in person.</summary>
internal static class OnBehalfRequestEndpoints
{
    public static IEndpointRouteBuilder MapOnBehalfRequestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/privacy/requests/on-behalf", Submit)
            .RequireAuthorization(PlatformPolicies.ComplianceOfficer)
            .WithTags("Compliance")
            .WithName("SubmitPrivacyRequestOnBehalf")
            .WithSummary("Makes a request for a subject whose identity the officer verified; the note says how, and the deadline starts now.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Created<PrivacyRequestResponse>, ValidationProblem, ProblemHttpResult>> Submit(
        SubmitOnBehalfPrivacyRequest body,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        RequestIntake intake,
        CancellationToken cancellationToken)
    {
        // The ComplianceOfficer policy admits people only; a token without a usable subject still cannot act unaudited.
        if (!CallerSubject.TryGet(user, out var officerId))
        {
            return CallerSubject.NotAPerson();
        }

        var errors = new Dictionary<string, string[]>();
        if (body.SubjectId is not { } subjectId || subjectId == Guid.Empty)
        {
            errors["subjectId"] = ["The subject's account id is required."];
        }

        var kind = RequestIntake.ValidKind(body.Kind, errors);
        var contactEmail = RequestIntake.ValidEmail(body.ContactEmail, errors);
        var verification = body.Verification?.Trim();
        if (string.IsNullOrEmpty(verification))
        {
            errors["verification"] = ["Say how the requester's identity was verified: a request on someone's behalf needs that evidence."];
        }
        else if (verification.Length > PrivacyRequest.MaxVerificationNoteLength)
        {
            errors["verification"] = [$"At most {PrivacyRequest.MaxVerificationNoteLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await RequestChanges.RunAsync<Results<Created<PrivacyRequestResponse>, ValidationProblem, ProblemHttpResult>>(
            db,
            body.SubjectId!.Value,
            async ct =>
            {
                var incoming = new IncomingRequest(
                    body.SubjectId!.Value, kind!.Value, contactEmail, RequestChannel.Staff, officerId.ToString("D"), verification);
                var (request, duplicate) = await intake.ReceiveAsync(db, incoming, ct);
                if (duplicate is not null)
                {
                    return duplicate;
                }

                await db.SaveAndCommitAsync(ct);
                return TypedResults.Created($"/api/privacy/requests/{request!.Id}/history", PrivacyRequestResponse.From(request, request.ReceivedAt));
            },
            cancellationToken);
    }
}
