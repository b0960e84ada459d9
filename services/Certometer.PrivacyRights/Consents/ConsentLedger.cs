using System.Security.Claims;
using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Requests;
using MassTransit;
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

/// <summary>Appends the choices Identity recorded to the ledger: one entry per kind, once per message however often delivered.</summary>
internal sealed class ConsentChoicesRecordedConsumer(PrivacyRightsDbContext db, SubjectPseudonyms pseudonyms)
    : IdempotentConsumer<ConsentChoicesRecorded, PrivacyRightsDbContext>(db)
{
    /// <summary>
    /// The inbox key, fixed so that <see cref="ConsentEndpoints"/> can mark the choices it publishes itself as already
    /// applied: the privacy centre appends to the ledger in the same transaction, and its own event coming back through
    /// the broker must not append the same choice a second time.
    /// </summary>
    public const string InboxName = "Certometer.PrivacyRights.Consents.ConsentChoicesRecordedConsumer";

    protected override string ConsumerName => InboxName;

    protected override async Task HandleOnceAsync(ConsumeContext<ConsentChoicesRecorded> context, CancellationToken cancellationToken)
    {
        var choices = context.Message;
        // The version in force when the choice was made, not when the message happened to arrive.
        var policyVersion = await Db.PolicyVersions.AsNoTracking().InForceAt(choices.RecordedAt).Select(p => p.Version).SingleOrDefaultAsync(cancellationToken);
        // Pseudonymous so the proof of consent survives the subject's erasure without identifying them.
        Db.ConsentLedger.AddRange(ConsentEntries.Of(pseudonyms.Of(choices.SubjectId), choices, policyVersion));
    }
}

internal static class ConsentEntries
{
    public const string PrivacyCentreSource = "privacy-centre";

    public static ConsentLedgerEntry[] Of(string subjectPseudonym, ConsentChoicesRecorded choices, string? policyVersion) =>
    [
        Entry(subjectPseudonym, "marketing", choices.Marketing, choices, policyVersion),
        Entry(subjectPseudonym, "analytics", choices.Analytics, choices, policyVersion),
    ];

    private static ConsentLedgerEntry Entry(string subject, string kind, bool given, ConsentChoicesRecorded choices, string? policyVersion) => new()
    {
        SubjectPseudonym = subject,
        Kind = kind,
        Given = given,
        Source = choices.Source,
        PolicyVersion = policyVersion,
        RecordedAt = choices.RecordedAt,
    };
}

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
        if (!RequestChanges.TryGetCaller(user, out var subjectId))
        {
            return RequestChanges.NotAPerson();
        }

        return TypedResults.Ok(await ConsentsOfAsync(db, pseudonyms.Of(subjectId), cancellationToken));
    }

    private static async Task<Results<Ok<MyConsents>, ValidationProblem, ProblemHttpResult>> RecordMine(
        UpdateConsents body,
        ClaimsPrincipal user,
        PrivacyRightsDbContext db,
        SubjectPseudonyms pseudonyms,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!RequestChanges.TryGetCaller(user, out var subjectId))
        {
            return RequestChanges.NotAPerson();
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

        var now = RequestChanges.Now(clock);
        var subject = pseudonyms.Of(subjectId);
        var policyVersion = await db.PolicyVersions.AsNoTracking().InForceAt(now).Select(p => p.Version).SingleOrDefaultAsync(cancellationToken);
        var choices = new ConsentChoicesRecorded(subjectId, body.Marketing!.Value, body.Analytics!.Value, ConsentEntries.PrivacyCentreSource, now);

        // The ledger entries, the event that carries the withdrawal to Notifications and Analytics, and the inbox mark
        // that stops this service's own consumer appending the same choices again all commit in one SaveChanges.
        db.ConsentLedger.AddRange(ConsentEntries.Of(subject, choices, policyVersion));
        var messageId = db.AddIntegrationEvent(choices, clock);
        db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, Consumer = ConsentChoicesRecordedConsumer.InboxName, ProcessedAt = now });
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Ok(await ConsentsOfAsync(db, subject, cancellationToken));
    }

    private static async Task<MyConsents> ConsentsOfAsync(PrivacyRightsDbContext db, string subject, CancellationToken cancellationToken)
    {
        var mine = db.ConsentLedger.AsNoTracking().Where(c => c.SubjectPseudonym == subject);
        var history = await mine
            .OrderBy(c => c.RecordedAt).ThenBy(c => c.Id)
            .Select(c => new ConsentResponse(c.Kind, c.Given, c.Source, c.PolicyVersion, c.RecordedAt))
            .Take(1000)
            .ToArrayAsync(cancellationToken);
        return new MyConsents(
            await CurrentAsync(mine, "marketing", cancellationToken),
            await CurrentAsync(mine, "analytics", cancellationToken),
            history);
    }

    // The latest choice wins, as it does in every service that acts on the event; the id breaks ties within one instant.
    private static Task<CurrentConsent?> CurrentAsync(IQueryable<ConsentLedgerEntry> mine, string kind, CancellationToken cancellationToken) =>
        mine.Where(c => c.Kind == kind)
            .OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Id)
            .Select(c => new CurrentConsent(c.Given, c.Source, c.PolicyVersion, c.RecordedAt))
            .FirstOrDefaultAsync(cancellationToken);
}
