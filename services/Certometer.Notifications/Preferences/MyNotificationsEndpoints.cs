using System.Security.Claims;
using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Messaging.Outbox;
using Certometer.Notifications.Data;
using Certometer.Notifications.Delivery;
using Certometer.Notifications.Marketing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Preferences;

/// <summary>The signed-in person's notification preferences.</summary>
/// <param name="MarketingEmails">Whether marketing email is wanted; false is a withdrawal of consent.</param>
/// <param name="Suppressed">True when the address objected to marketing; no marketing is sent whatever the preference says.</param>
public sealed record NotificationPreferences(bool MarketingEmails, bool Suppressed, bool Restricted);

/// <summary>A change of preferences.</summary>
public sealed record UpdatePreferencesRequest(bool? MarketingEmails);

/// <summary>One message in the signed-in person's history (the content itself stays in the mailbox it went to).</summary>
public sealed record MessageSummary(Guid Id, MessageKind Kind, string Subject, DeliveryStatus Status, DateTimeOffset QueuedAt, DateTimeOffset? SentAt);

/// <summary>One entry of the delivery log for operators: no address, no content.</summary>
public sealed record DeliveryLogEntry(Guid Id, MessageKind Kind, DeliveryStatus Status, int Attempts, string? LastError, DateTimeOffset QueuedAt, DateTimeOffset? SentAt);

internal static class MyNotificationsEndpoints
{
    /// <summary>Where a choice made in these preferences is recorded in the consent ledger.</summary>
    public const string PreferencesSource = "notification-preferences";

    public static IEndpointRouteBuilder MapMyNotificationsEndpoints(this IEndpointRouteBuilder app)
    {
        // The subject is the token's, never the URL's.
        var me = app.MapGroup("/api/notifications/me").RequireAuthorization(PlatformPolicies.SignedIn).WithTags("My notifications");
        me.MapGet("/preferences", GetPreferences).WithSummary("The signed-in person's notification preferences.");
        me.MapPut("/preferences", UpdatePreferences)
            .WithSummary("Asks for marketing email on or off for the signed-in person: the choice goes to the consent ledger, and GET shows it once the ledger has put it in force (seconds).");
        me.MapGet("/messages", GetMessages).WithSummary("What has been sent to the signed-in person, newest first.");

        app.MapGet("/api/notifications/deliveries", GetDeliveryLog)
            .RequireAuthorization(PlatformPolicies.Operator)
            .WithTags("Delivery log")
            .WithSummary("The delivery log, newest first, optionally only one status (e.g. Failed).");
        return app;
    }

    private static async Task<Results<Ok<NotificationPreferences>, ProblemHttpResult>> GetPreferences(
        ClaimsPrincipal user, NotificationsDbContext db, AddressHasher hasher, CancellationToken cancellationToken) =>
        CallerSubject.Of(user) is { } subject
            ? TypedResults.Ok(await PreferencesOfAsync(subject, db, hasher, cancellationToken))
            : CallerSubject.NotAPerson();

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> UpdatePreferences(
        UpdatePreferencesRequest request, ClaimsPrincipal user, NotificationsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subject))
        {
            return CallerSubject.NotAPerson();
        }

        if (request.MarketingEmails is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["marketingEmails"] = ["Say true or false."] });
        }

        // Not written here: the ledger is the one writer of consent, so a choice made here and one made in the privacy
        // centre are put in order by the ledger, never by two services' clocks. It answers with ConsentsInForce.
        db.AddIntegrationEvent(
            new ConsentChoicesRecorded(subject, Marketing: request.MarketingEmails.Value, Analytics: null, PreferencesSource, clock.GetUtcNow()),
            clock);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted("/api/notifications/me/preferences");
    }

    private static async Task<Results<Ok<MessageSummary[]>, ProblemHttpResult>> GetMessages(
        ClaimsPrincipal user, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subject))
        {
            return CallerSubject.NotAPerson();
        }

        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.SubjectId == subject)
            .OrderByDescending(m => m.CreatedAt)
            .Take(200)
            .Select(m => new MessageSummary(m.Id, m.Kind, m.Subject, m.Status, m.CreatedAt, m.SentAt))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(messages);
    }

    private static async Task<Ok<DeliveryLogEntry[]>> GetDeliveryLog(DeliveryStatus? status, NotificationsDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Messages.AsNoTracking();
        if (status is not null)
        {
            query = query.Where(m => m.Status == status);
        }

        return TypedResults.Ok(await query.OrderByDescending(m => m.CreatedAt).Take(500)
            .Select(m => new DeliveryLogEntry(m.Id, m.Kind, m.Status, m.Attempts, m.LastError, m.CreatedAt, m.SentAt))
            .ToArrayAsync(cancellationToken));
    }

    private static async Task<NotificationPreferences> PreferencesOfAsync(Guid subject, NotificationsDbContext db, AddressHasher hasher, CancellationToken cancellationToken)
    {
        var settings = await db.SubjectSettings.AsNoTracking().SingleOrDefaultAsync(s => s.SubjectId == subject, cancellationToken);
        var recipient = await db.Recipients.AsNoTracking().SingleOrDefaultAsync(r => r.SubjectId == subject, cancellationToken);
        var hash = recipient is null ? null : hasher.Hash(recipient.Email);
        var suppressed = settings?.MarketingObjectedAt is not null
            || (hash is not null && await db.SuppressionList.AnyAsync(s => s.AddressHash == hash, cancellationToken));
        return new NotificationPreferences(settings?.MarketingConsent ?? false, suppressed, settings?.Restricted ?? false);
    }
}
