using System.Security.Claims;
using System.Text;
using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.Persistence;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Portability;
using Certometer.PrivacyRights.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Access;

/// <summary>The subject downloading their own package while its link is valid; nobody else can, not even staff.</summary>
internal static class AccessPackageEndpoints
{
    public static IEndpointRouteBuilder MapAccessPackageEndpoints(this IEndpointRouteBuilder app)
    {
        var package = app.MapGroup("/api/privacy/me/requests/{id}/package").WithTags("Requests").RequireAuthorization(PlatformPolicies.SignedIn);
        package.MapGet("/", Download).WithName("DownloadMyDataPackage")
            .WithSummary("The signed-in person's data from every holder as one JSON document, until the package expires.");
        package.MapGet("/summary", Summary).WithName("ReadMyDataPackageSummary")
            .WithSummary("A readable summary of the package: which services hold what, how many records, and why.");
        package.MapPost("/deliveries", Deliver).WithName("DeliverMyDataPackage")
            .WithSummary("Sends a portability package to another organisation's public HTTPS endpoint (never to a private, loopback or link-local address, never through a redirect).");
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> Download(
        Guid id, ClaimsPrincipal user, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, user, db, clock, cancellationToken);
        if (found.Package is not { } package)
        {
            return found.Problem is { } problem ? problem : TypedResults.NotFound();
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(package.Content), "application/json", $"certometer-data-{id}.json");
    }

    private static async Task<Results<ContentHttpResult, NotFound, ProblemHttpResult>> Summary(
        Guid id, ClaimsPrincipal user, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, user, db, clock, cancellationToken);
        if (found.Package is not { } package)
        {
            return found.Problem is { } problem ? problem : TypedResults.NotFound();
        }

        return TypedResults.Text(package.Summary, "text/plain", Encoding.UTF8);
    }

    private static async Task<Results<Ok<PackageDeliveryResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Deliver(
        Guid id,
        PackageDeliveryRequest? body,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        DeliveryTargetPolicy targets,
        PortabilityDelivery delivery,
        AuditChain audit,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (targets.Check(body?.Target, out var target) is { } refusal)
        {
            return refusal.ToValidationProblem();
        }

        var found = await FindAsync(id, user, db, clock, cancellationToken);
        if (found.Package is not { } package)
        {
            return found.Problem is { } problem ? problem : TypedResults.NotFound();
        }

        if (found.Kind != PrivacyRequestKind.Portability)
        {
            return TypedResults.Problem(
                title: "Only a portability package can be sent to another organisation.",
                detail: "An access package is for the subject to download; make a portability request to have it delivered.",
                statusCode: StatusCodes.Status409Conflict);
        }

        var outcome = await delivery.DeliverAsync(target!, Encoding.UTF8.GetBytes(package.Content), id.ToString("D"), cancellationToken);
        // The attempt is part of the request's evidence either way; the target stays out of the audit log (it may identify the subject).
        await RequestChanges.RunAsync(
            db,
            id,
            async ct =>
            {
                await audit.AppendAsync(db, id, outcome.Succeeded ? "PackageDelivered" : $"PackageDelivery{outcome.Status}", AuditChain.WorkflowActor, StoredTime.Now(clock), ct);
                await db.SaveAndCommitAsync(ct);
                return true;
            },
            cancellationToken);
        if (outcome.Succeeded)
        {
            return TypedResults.Ok(new PackageDeliveryResponse(outcome.Status, outcome.Detail, outcome.ReceiverStatusCode));
        }

        return TypedResults.Problem(
            title: "The package was not delivered.",
            detail: outcome.Detail,
            statusCode: outcome.Status == DeliveryStatus.Refused ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status502BadGateway,
            extensions: new Dictionary<string, object?> { ["deliveryStatus"] = outcome.Status.ToString(), ["receiverStatusCode"] = outcome.ReceiverStatusCode });
    }

    /// <summary>The caller's package and its request's kind, or the problem to answer; neither means 404.</summary>
    private static async Task<(AccessPackage? Package, PrivacyRequestKind? Kind, ProblemHttpResult? Problem)> FindAsync(
        Guid id, ClaimsPrincipal user, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return (null, null, CallerSubject.NotAPerson());
        }

        // Another subject's request answers 404 exactly like an unknown one, so ids cannot be probed.
        var request = await db.Requests.AsNoTracking()
            .Where(r => r.Id == id && r.SubjectId == subjectId
                && (r.Kind == PrivacyRequestKind.Access || r.Kind == PrivacyRequestKind.Portability))
            .Select(r => new { r.Status, r.Kind })
            .SingleOrDefaultAsync(cancellationToken);
        if (request is null)
        {
            return (null, null, null);
        }

        var now = clock.GetUtcNow();
        var package = await db.AccessPackages.AsNoTracking()
            .SingleOrDefaultAsync(p => p.RequestId == id && p.SubjectId == subjectId && p.ExpiresAt > now, cancellationToken);
        if (package is not null)
        {
            return (package, request.Kind, null);
        }

        return request.Status == PrivacyRequestStatus.Completed
            ? (null, request.Kind, TypedResults.Problem(
                title: "This package has expired.",
                detail: "Packages are deleted when their download link expires; make a new access request for a fresh copy.",
                statusCode: StatusCodes.Status410Gone))
            : (null, request.Kind, TypedResults.Problem(
                title: "The package is not ready yet.",
                detail: $"The request is {request.Status}; the package is compiled once every service has sent its part.",
                statusCode: StatusCodes.Status409Conflict));
    }
}

/// <summary>Where to send a portability package: another organisation's public HTTPS endpoint.</summary>
public sealed record PackageDeliveryRequest(string? Target);

/// <summary>The receiver accepted the package.</summary>
public sealed record PackageDeliveryResponse(DeliveryStatus Status, string Detail, int? ReceiverStatusCode);
