using System.Security.Claims;
using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Consents;

/// <summary>One consent choice in the signed-in person's history.</summary>
public sealed record ConsentResponse(string Kind, bool Given, string Source, string? PolicyVersion, DateTimeOffset RecordedAt);

/// <summary>Appends the choices Identity recorded to the ledger: one entry per kind, once per message however often delivered.</summary>
internal sealed class ConsentChoicesRecordedConsumer(PrivacyRightsDbContext db, SubjectPseudonyms pseudonyms)
    : IdempotentConsumer<ConsentChoicesRecorded, PrivacyRightsDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<ConsentChoicesRecorded> context, CancellationToken cancellationToken)
    {
        var choices = context.Message;
        // Pseudonymous so the proof of consent survives the subject's erasure without identifying them.
        var subject = pseudonyms.Of(choices.SubjectId);
        Db.ConsentLedger.AddRange(
            Entry(subject, "marketing", choices.Marketing, choices),
            Entry(subject, "analytics", choices.Analytics, choices));
        return Task.CompletedTask;
    }

    private static ConsentLedgerEntry Entry(string subject, string kind, bool given, ConsentChoicesRecorded choices) => new()
    {
        SubjectPseudonym = subject,
        Kind = kind,
        Given = given,
        Source = choices.Source,
        PolicyVersion = null,
        RecordedAt = choices.RecordedAt,
    };
}

internal static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/privacy/me/consents", ListMine)
            .RequireAuthorization(PlatformPolicies.SignedIn)
            .WithTags("Consents")
            .WithName("ListMyConsents")
            .WithSummary("The signed-in person's consent choices, oldest first, as the ledger recorded them.");
        return app;
    }

    private static async Task<Results<Ok<ConsentResponse[]>, ProblemHttpResult>> ListMine(
        ClaimsPrincipal user, PrivacyRightsDbContext db, SubjectPseudonyms pseudonyms, CancellationToken cancellationToken)
    {
        if (!RequestChanges.TryGetCaller(user, out var subjectId))
        {
            return TypedResults.Problem(title: "This token does not name a person.", statusCode: StatusCodes.Status403Forbidden);
        }

        var subject = pseudonyms.Of(subjectId);
        var entries = await db.ConsentLedger.AsNoTracking()
            .Where(c => c.SubjectPseudonym == subject)
            .OrderBy(c => c.RecordedAt).ThenBy(c => c.Id)
            .Select(c => new ConsentResponse(c.Kind, c.Given, c.Source, c.PolicyVersion, c.RecordedAt))
            .Take(1000)
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(entries);
    }
}
