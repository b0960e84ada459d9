using System.Security.Claims;
using System.Text;
using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Data;
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

    /// <summary>The caller's package, or the problem to answer; neither means 404.</summary>
    private static async Task<(AccessPackage? Package, ProblemHttpResult? Problem)> FindAsync(
        Guid id, ClaimsPrincipal user, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!RequestChanges.TryGetCaller(user, out var subjectId))
        {
            return (null, TypedResults.Problem(title: "This token does not name a person.", statusCode: StatusCodes.Status403Forbidden));
        }

        // Another subject's request answers 404 exactly like an unknown one, so ids cannot be probed.
        var request = await db.Requests.AsNoTracking()
            .Where(r => r.Id == id && r.SubjectId == subjectId
                && (r.Kind == PrivacyRequestKind.Access || r.Kind == PrivacyRequestKind.Portability))
            .Select(r => new { r.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (request is null)
        {
            return (null, null);
        }

        var now = clock.GetUtcNow();
        var package = await db.AccessPackages.AsNoTracking()
            .SingleOrDefaultAsync(p => p.RequestId == id && p.SubjectId == subjectId && p.ExpiresAt > now, cancellationToken);
        if (package is not null)
        {
            return (package, null);
        }

        return request.Status == PrivacyRequestStatus.Completed
            ? (null, TypedResults.Problem(
                title: "This package has expired.",
                detail: "Packages are deleted when their download link expires; make a new access request for a fresh copy.",
                statusCode: StatusCodes.Status410Gone))
            : (null, TypedResults.Problem(
                title: "The package is not ready yet.",
                detail: $"The request is {request.Status}; the package is compiled once every service has sent its part.",
                statusCode: StatusCodes.Status409Conflict));
    }
}
