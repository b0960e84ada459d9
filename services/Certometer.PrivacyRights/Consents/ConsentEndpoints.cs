using System.Security.Claims;
using Certometer.Auth;
using Certometer.Persistence;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Consents;

/// <summary>One consent choice in the signed-in person's history.</summary>
public sealed record ConsentResponse(string Kind, bool Given, string Source, string? PolicyVersion, DateTimeOffset RecordedAt);

/// <summary>The choice in force for one kind of consent: the latest one the person made.</summary>
public sealed record CurrentConsent(bool Given, string Source, string? PolicyVersion, DateTimeOffset RecordedAt);

/// <summary>The signed-in person's consents: what is in force now (null where they never chose) and every choice, oldest first.</summary>
public sealed record MyConsents(CurrentConsent? Marketing, CurrentConsent? Analytics, IReadOnlyList<ConsentResponse> History);

/// <summary>New choices for both kinds of consent; false withdraws (or keeps refusing) that consent.</summary>
public sealed record UpdateConsents(bool? Marketing, bool? Analytics);

internal static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        // The person is always the token's: there is no way to read or change somebody else's consents here.
        var mine = app.MapGroup("/api/privacy/me/consents").WithTags("Consents").RequireAuthorization(PlatformPolicies.SignedIn);
        mine.MapGet("/", GetMine)
            .WithName("ListMyConsents")
            .WithSummary("The signed-in person's consents in force, and every choice the ledger recorded, oldest first.");
        mine.MapPut("/", RecordMine)
            .WithName("RecordMyConsents")
            .WithSummary("Records new marketing and analytics choices; a withdrawal takes effect in every service.");
        return app;
    }

    private static async Task<Results<Ok<MyConsents>, ProblemHttpResult>> GetMine(
        ClaimsPrincipal user, PrivacyRightsDbContext db, SubjectPseudonyms pseudonyms, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        return TypedResults.Ok(await ConsentsOfAsync(db, pseudonyms.Of(subjectId), cancellationToken));
    }

    private static async Task<Results<Ok<MyConsents>, ValidationProblem, ProblemHttpResult>> RecordMine(
        UpdateConsents body,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        ConsentLedger ledger,
        SubjectPseudonyms pseudonyms,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return CallerSubject.NotAPerson();
        }

        var errors = new Dictionary<string, string[]>();
        if (body.Marketing is null)
        {
            errors["marketing"] = ["Say true or false."];
        }

        if (body.Analytics is null)
        {
            errors["analytics"] = ["Say true or false."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The entries and the state in force that carries a withdrawal to every service commit together.
        await db.InTransactionAsync(
            async ct =>
            {
                await ledger.RecordAsync(subjectId, body.Marketing, body.Analytics, ConsentLedger.PrivacyCentreSource, StoredTime.Now(clock), ct);
                await db.SaveAndCommitAsync(ct);
            },
            cancellationToken);

        return TypedResults.Ok(await ConsentsOfAsync(db, pseudonyms.Of(subjectId), cancellationToken));
    }

    private static async Task<MyConsents> ConsentsOfAsync(PrivacyRightsDbContext db, string subject, CancellationToken cancellationToken)
    {
        var mine = db.ConsentLedger.AsNoTracking().Where(c => c.SubjectPseudonym == subject);
        var history = await mine
            .OrderBy(c => c.Sequence)
            .Select(c => new ConsentResponse(c.Kind, c.Given, c.Source, c.PolicyVersion, c.RecordedAt))
            .Take(1000)
            .ToArrayAsync(cancellationToken);
        return new MyConsents(
            await CurrentAsync(mine, ConsentLedger.Marketing, cancellationToken),
            await CurrentAsync(mine, ConsentLedger.Analytics, cancellationToken),
            history);
    }

    // The latest choice that took effect, in the ledger's order: what every service acting on ConsentsInForce holds too.
    private static Task<CurrentConsent?> CurrentAsync(IQueryable<ConsentLedgerEntry> mine, string kind, CancellationToken cancellationToken) =>
        mine.Where(c => c.Kind == kind && c.TookEffect)
            .OrderByDescending(c => c.Sequence)
            .Select(c => new CurrentConsent(c.Given, c.Source, c.PolicyVersion, c.RecordedAt))
            .FirstOrDefaultAsync(cancellationToken);
}
