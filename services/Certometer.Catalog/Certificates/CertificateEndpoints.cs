using System.Security.Claims;
using Certometer.Auth;
using Certometer.Catalog.Data;
using Certometer.Catalog.Http;
using Certometer.Catalog.Learners;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Certificates;

/// <summary>A certificate as its holder sees it.</summary>
public sealed record CertificateView(Guid Id, Guid CourseId, string CourseTitle, string? HolderName, string VerificationCode, DateTimeOffset IssuedAt)
{
    public static CertificateView Of(Certificate c) => new(c.Id, c.CourseId, c.CourseTitle, c.HolderName, c.VerificationCode, c.IssuedAt);
}

/// <summary>The public answer about a verification code.</summary>
/// <param name="HolderName">As printed; null when withheld because the holder had their data erased.</param>
/// <param name="HolderNameWithheld">True after the holder's erasure: the certificate was issued, but to whom is no longer disclosed.</param>
public sealed record CertificateCheck(bool Valid, string CourseTitle, DateTimeOffset IssuedAt, string? HolderName, bool HolderNameWithheld);

/// <summary>Learners' own certificates, and the public check anyone can make with a verification code.</summary>
internal static class CertificateEndpoints
{
    public static IEndpointRouteBuilder MapCertificateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/catalog/me/certificates", Mine).RequireAuthorization(PlatformPolicies.SignedIn)
            .WithTags("Learning").WithName("ListMyCertificates").WithSummary("The signed-in learner's certificates.");
        // Anonymous on purpose: an employer checks a certificate with the code the holder gave them, without an account.
        // The code is unguessable, so the check reveals nothing to anyone who was not given it.
        app.MapGet("/api/catalog/certificates/{code}", Check).AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound)
            .WithTags("Certificates").WithName("CheckCertificate").WithSummary("Whether a verification code belongs to a certificate, and what it says.");
        return app;
    }

    private static async Task<Results<Ok<List<CertificateView>>, ProblemHttpResult>> Mine(
        ClaimsPrincipal user, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (CallerSubject.Of(user) is not { } subject)
        {
            return Subject.Missing();
        }

        var certificates = await db.Certificates.AsNoTracking().Where(c => c.SubjectId == subject).OrderBy(c => c.IssuedAt)
            .Select(c => new CertificateView(c.Id, c.CourseId, c.CourseTitle, c.HolderName, c.VerificationCode, c.IssuedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(certificates);
    }

    private static async Task<Results<CacheableJson<CertificateCheck>, ProblemHttpResult>> Check(
        string code, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var certificate = CertificateIssuing.IsWellFormed(code)
            ? await db.Certificates.AsNoTracking().Where(c => c.VerificationCode == code)
                .Select(c => new { c.CourseTitle, c.IssuedAt, c.HolderName, c.HolderErasedAt })
                .SingleOrDefaultAsync(cancellationToken)
            : null;
        if (certificate is null)
        {
            return Problems.NotFound("No certificate has this verification code.");
        }

        var withheld = certificate.HolderErasedAt is not null;
        return PublicCaching.Json(
            new CertificateCheck(true, certificate.CourseTitle, certificate.IssuedAt, withheld ? null : certificate.HolderName, withheld),
            PublicCaching.Revalidated);
    }
}
