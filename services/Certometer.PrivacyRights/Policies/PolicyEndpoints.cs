using System.Security.Claims;
using System.Text.RegularExpressions;
using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Policies;

/// <summary>A new policy version as operators publish it.</summary>
/// <param name="Version">Its stable name, e.g. <c>2026-12</c>: letters, digits, dot, dash and underscore.</param>
/// <param name="EffectiveAt">When it takes effect: now or later (a few minutes' clock difference is tolerated).</param>
/// <param name="SummaryOfChanges">What changed, in words people are told in the notice.</param>
/// <param name="Url">Where the full text is published (http or https).</param>
public sealed record PublishPolicyVersion(string? Version, DateTimeOffset? EffectiveAt, string? SummaryOfChanges, string? Url = null);

/// <summary>A published policy version.</summary>
public sealed record PolicyVersionResponse(string Version, DateTimeOffset EffectiveAt, string SummaryOfChanges, string? Url, DateTimeOffset PublishedAt)
{
    internal static PolicyVersionResponse From(PolicyVersion policy) =>
        new(policy.Version, policy.EffectiveAt, policy.SummaryOfChanges, policy.Url, policy.PublishedAt);
}

/// <summary>The signed-in person's acceptance of one policy version.</summary>
public sealed record PolicyAcceptanceResponse(string Version, DateTimeOffset AcceptedAt);

internal static partial class PolicyEndpoints
{
    public const int MaxVersionLength = 50;
    public const int MaxSummaryLength = 4000;
    public const int MaxUrlLength = 2000;

    /// <summary>How far in the past an effective date may lie: the operator's clock and ours may differ a little, no more.</summary>
    public static readonly TimeSpan EffectiveAtTolerance = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/api/privacy/policies").WithTags("Policies");
        policies.MapPost("/", Publish).RequireAuthorization(PlatformPolicies.Operator).WithName("PublishPolicyVersion")
            .WithSummary("Publishes a new privacy policy version with its effective date; a version cannot be changed once published.");

        // Anonymous on purpose: the policy is public, and a visitor must be able to read it before signing up.
        policies.MapGet("/", List).AllowAnonymous().WithName("ListPolicyVersions")
            .WithSummary("Every published policy version, latest effective date first, including versions not yet in effect.");
        policies.MapGet("/current", Current).AllowAnonymous().WithName("GetCurrentPolicyVersion")
            .WithSummary("The policy version in effect now.");
        policies.MapGet("/{version}", Get).AllowAnonymous().WithName("GetPolicyVersion")
            .WithSummary("One published policy version.");

        // The person is always the token's: nobody records an acceptance for somebody else.
        policies.MapPost("/{version}/acceptance", Accept).RequireAuthorization(PlatformPolicies.SignedIn).WithName("AcceptPolicyVersion")
            .WithSummary("Records that the signed-in person accepted a version; accepting again keeps the first acceptance.");
        app.MapGet("/api/privacy/me/policy-acceptances", ListMyAcceptances).RequireAuthorization(PlatformPolicies.SignedIn)
            .WithTags("Policies").WithName("ListMyPolicyAcceptances")
            .WithSummary("The policy versions the signed-in person accepted, newest first.");
        return app;
    }

    private static async Task<Results<Created<PolicyVersionResponse>, ValidationProblem, ProblemHttpResult>> Publish(
        PublishPolicyVersion body, PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(clock);
        var errors = new Dictionary<string, string[]>();
        var version = body.Version?.Trim();
        if (string.IsNullOrEmpty(version) || version.Length > MaxVersionLength || !VersionName().IsMatch(version))
        {
            errors["version"] = [$"1 to {MaxVersionLength} letters, digits, dots, dashes or underscores, starting with a letter or digit, e.g. 2026-12."];
        }
        else if (string.Equals(version, "current", StringComparison.OrdinalIgnoreCase))
        {
            errors["version"] = ["'current' names whichever version is in effect; choose another name."];
        }

        if (body.EffectiveAt is not { } effectiveAt)
        {
            errors["effectiveAt"] = ["When the version takes effect is required."];
        }
        else if (effectiveAt < now - EffectiveAtTolerance)
        {
            // A past effective date would claim people were bound by a text nobody had been shown.
            errors["effectiveAt"] = ["Must not lie in the past: a version takes effect now or later."];
        }

        var summary = body.SummaryOfChanges?.Trim();
        if (string.IsNullOrEmpty(summary) || summary.Length > MaxSummaryLength)
        {
            errors["summaryOfChanges"] = [$"A summary of 1 to {MaxSummaryLength} characters is required: it is what people are told."];
        }

        var url = string.IsNullOrWhiteSpace(body.Url) ? null : body.Url.Trim();
        if (url is not null && (url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var address)
            || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp)))
        {
            errors["url"] = [$"An absolute http or https address of at most {MaxUrlLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var policy = new PolicyVersion
        {
            Version = version!,
            EffectiveAt = StoredTime.AsStored(body.EffectiveAt!.Value),
            SummaryOfChanges = summary!,
            Url = url,
            PublishedAt = now,
        };
        if (await db.PolicyVersions.AnyAsync(p => p.Version == policy.Version, cancellationToken))
        {
            return VersionTaken(policy.Version);
        }

        db.PolicyVersions.Add(policy);
        db.AddIntegrationEvent(new PrivacyPolicyPublished(policy.Version, policy.EffectiveAt, policy.SummaryOfChanges, policy.PublishedAt), clock);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Two operators published the same version at once; the other one won, and nothing of this one was written.
            return VersionTaken(policy.Version);
        }

        return TypedResults.Created($"/api/privacy/policies/{Uri.EscapeDataString(policy.Version)}", PolicyVersionResponse.From(policy));
    }

    private static async Task<Ok<PolicyVersionResponse[]>> List(PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        var policies = await db.PolicyVersions.AsNoTracking()
            .OrderByDescending(p => p.EffectiveAt).ThenByDescending(p => p.PublishedAt)
            .Take(500)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(policies.Select(PolicyVersionResponse.From).ToArray());
    }

    private static async Task<Results<Ok<PolicyVersionResponse>, ProblemHttpResult>> Current(
        PrivacyRightsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var current = await db.PolicyVersions.AsNoTracking().InForceAt(clock.GetUtcNow()).SingleOrDefaultAsync(cancellationToken);
        return current is null
            ? TypedResults.Problem(
                title: "No privacy policy version is in effect yet.",
                detail: "None has been published, or every published version takes effect later.",
                statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(PolicyVersionResponse.From(current));
    }

    private static async Task<Results<Ok<PolicyVersionResponse>, ProblemHttpResult>> Get(
        string version, PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        var policy = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(p => p.Version == version, cancellationToken);
        return policy is null ? NoSuchVersion() : TypedResults.Ok(PolicyVersionResponse.From(policy));
    }

    private static async Task<Results<Ok<PolicyAcceptanceResponse>, ProblemHttpResult>> Accept(
        string version,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        SubjectPseudonyms pseudonyms,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        if (!await db.PolicyVersions.AnyAsync(p => p.Version == version, cancellationToken))
        {
            return NoSuchVersion();
        }

        var subject = pseudonyms.Of(subjectId);
        var now = StoredTime.Now(clock);
        // One statement, so two acceptances racing each other cannot both insert; the first one stands.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO policy_acceptances (subject_pseudonym, version, accepted_at)
            VALUES ({subject}, {version}, {now})
            ON CONFLICT (subject_pseudonym, version) DO NOTHING
            """,
            cancellationToken);
        var accepted = await db.PolicyAcceptances.AsNoTracking()
            .Where(a => a.SubjectPseudonym == subject && a.Version == version)
            .Select(a => new PolicyAcceptanceResponse(a.Version, a.AcceptedAt))
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(accepted);
    }

    private static async Task<Results<Ok<PolicyAcceptanceResponse[]>, ProblemHttpResult>> ListMyAcceptances(
        ClaimsPrincipal user, PrivacyRightsDbContext db, SubjectPseudonyms pseudonyms, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        var subject = pseudonyms.Of(subjectId);
        var acceptances = await db.PolicyAcceptances.AsNoTracking()
            .Where(a => a.SubjectPseudonym == subject)
            .OrderByDescending(a => a.AcceptedAt).ThenByDescending(a => a.Id)
            .Take(500)
            .Select(a => new PolicyAcceptanceResponse(a.Version, a.AcceptedAt))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(acceptances);
    }

    private static ProblemHttpResult NoSuchVersion() => TypedResults.Problem(
        title: "No such policy version.",
        detail: "GET /api/privacy/policies lists the published versions.",
        statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult VersionTaken(string version) => TypedResults.Problem(
        title: "This policy version is already published.",
        detail: $"Version {version} exists and cannot be changed; publish the change as a new version.",
        statusCode: StatusCodes.Status409Conflict);


    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionName();
}
