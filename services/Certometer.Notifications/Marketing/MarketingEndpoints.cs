using Certometer.Auth;
using Certometer.Notifications.Data;
using Certometer.Notifications.Delivery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Marketing;

/// <summary>A marketing email to everyone who agreed to receive one.</summary>
public sealed record CampaignRequest(string? Headline, string? Body);

/// <summary>How many recipients the campaign was queued for.</summary>
public sealed record CampaignQueued(Guid CampaignId, int Recipients);

internal static class MarketingEndpoints
{
    public static IEndpointRouteBuilder MapMarketingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/notifications/campaigns", QueueCampaign)
            .RequireAuthorization(PlatformPolicies.Operator)
            .WithTags("Marketing")
            .WithSummary("Queues a marketing email for every recipient with marketing consent, not restricted, not objecting and not suppressed.");

        // Anonymous on purpose: an unsubscribe link must work from the email itself, signed in or not. The signed token
        // is the authorisation. GET only shows a button (mail scanners follow links); POST unsubscribes (RFC 8058).
        var unsubscribe = app.MapGroup("/api/notifications/unsubscribe").AllowAnonymous().WithTags("Marketing");
        unsubscribe.MapGet("/", ConfirmPage).WithSummary("The page an unsubscribe link opens.");
        unsubscribe.MapPost("/", Unsubscribe).DisableAntiforgery().WithSummary("Puts the link's address on the suppression list.");
        return app;
    }

    private static async Task<Results<Ok<CampaignQueued>, ValidationProblem>> QueueCampaign(
        CampaignRequest request,
        NotificationsDbContext db,
        MessageQueue queue,
        AddressHasher hasher,
        UnsubscribeLinks links,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Headline) || request.Headline.Length > 200)
        {
            errors["headline"] = ["A headline of 1 to 200 characters is required."];
        }
        else if (request.Headline.Any(char.IsControl))
        {
            // A subject line is one line of text; a NUL could not even be stored.
            errors["headline"] = ["A headline is one line of printable text: no control characters."];
        }

        if (string.IsNullOrWhiteSpace(request.Body) || request.Body.Length > 10_000)
        {
            errors["body"] = ["A body of 1 to 10000 characters is required."];
        }
        else if (request.Body.Any(character => char.IsControl(character) && character is not ('\n' or '\r' or '\t')))
        {
            errors["body"] = ["A body is text: line breaks and tabs are allowed, other control characters (NUL, escapes) are not."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var campaignId = Guid.CreateVersion7();
        var suppressed = (await db.SuppressionList.AsNoTracking().Select(s => s.AddressHash).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var eligible = await (from recipient in db.Recipients
                              join settings in db.SubjectSettings on recipient.SubjectId equals settings.SubjectId
                              where settings.MarketingConsent && !settings.Restricted && settings.MarketingObjectedAt == null
                              select recipient).ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var recipient in eligible)
        {
            var hash = hasher.Hash(recipient.Email);
            if (suppressed.Contains(hash))
            {
                continue;
            }

            var values = new Dictionary<string, string> { ["headline"] = request.Headline!.Trim(), ["body"] = request.Body!.Trim() };
            if (await queue.EnqueueAsync(MessageKind.Marketing, $"campaign:{campaignId}:{recipient.SubjectId}", recipient, values, cancellationToken, links.CreateUrl(hash)))
            {
                queued++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new CampaignQueued(campaignId, queued));
    }

    private static Results<ContentHttpResult, ProblemHttpResult> ConfirmPage(string? token, UnsubscribeLinks links)
    {
        if (links.Verify(token) is null)
        {
            return InvalidLink();
        }

        var encoded = System.Net.WebUtility.HtmlEncode(token);
        return TypedResults.Content(
            $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head>
            <body><main><h1>Stop marketing emails?</h1>
            <form method="post" action="/api/notifications/unsubscribe?token={encoded}"><button type="submit">Unsubscribe</button></form>
            </main></body></html>
            """,
            "text/html; charset=utf-8");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Unsubscribe(
        string? token, UnsubscribeLinks links, NotificationsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var hash = links.Verify(token);
        if (hash is null)
        {
            return InvalidLink();
        }

        // Unsubscribing is an objection to direct marketing: absolute, kept as the hash only, and it outlives erasure.
        if (!await db.SuppressionList.AnyAsync(s => s.AddressHash == hash, cancellationToken))
        {
            db.SuppressionList.Add(new SuppressedAddress { AddressHash = hash, Reason = "unsubscribed", SuppressedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same link clicked twice at once: the other click already suppressed it.
            }
        }

        return TypedResults.Content(
            """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribed</title></head><body><main><h1>You will get no more marketing emails at this address.</h1></main></body></html>""",
            "text/html; charset=utf-8");
    }

    private static ProblemHttpResult InvalidLink() => TypedResults.Problem(
        title: "This unsubscribe link is not valid.",
        detail: "Use the link from the most recent email exactly as it was sent.",
        statusCode: StatusCodes.Status400BadRequest);
}
