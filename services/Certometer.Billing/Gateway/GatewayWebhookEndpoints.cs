using System.Text.Json;
using Certometer.Billing.Data;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Billing.Gateway;

internal static class GatewayWebhookEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapGatewayWebhooks(this IEndpointRouteBuilder app)
    {
        // Anonymous on purpose: the gateway has no Certometer token. It is authenticated by the HMAC signature over
        // the timestamp and body instead, checked before anything is read from the body.
        app.MapPost("/api/billing/gateway/webhooks", Receive)
            .AllowAnonymous()
            .WithTags("Gateway")
            .WithName("ReceiveGatewayWebhook")
            .WithSummary("The payment gateway reports a charge's final outcome; signed with the shared webhook secret.")
            .WithDescription($"Authenticated by the {WebhookSignature.HeaderName} header (HMAC-SHA256 over timestamp and body), not by a token.");
        return app;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> Receive(
        HttpRequest request,
        IOptions<GatewayOptions> options,
        BillingDbContext db,
        PaymentOutcomes outcomes,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var settings = options.Value;
        var verification = WebhookSignature.Verify(
            settings.WebhookSecret!, request.Headers[WebhookSignature.HeaderName], body, clock.GetUtcNow(), settings.WebhookTolerance);
        if (verification == WebhookVerification.Malformed)
        {
            // Not a signed webhook at all (no or garbled header): a malformed request rather than a failed authentication.
            return TypedResults.Problem(
                title: $"The {WebhookSignature.HeaderName} header is missing or malformed.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        if (verification != WebhookVerification.Valid)
        {
            return TypedResults.Problem(
                title: "The webhook signature is wrong or its timestamp too old.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        GatewayEvent? gatewayEvent;
        try
        {
            gatewayEvent = JsonSerializer.Deserialize<GatewayEvent>(body, Json);
        }
        catch (JsonException)
        {
            gatewayEvent = null;
        }

        if (gatewayEvent is not { Id.Length: > 0 and <= 200, Type.Length: > 0, Data.Charge.Length: > 0 })
        {
            return TypedResults.Problem(title: "The webhook event is not one Billing understands.", statusCode: StatusCodes.Status400BadRequest);
        }

        var handled = await HandleOnceAsync(db, outcomes, gatewayEvent, clock, cancellationToken);
        return handled
            ? TypedResults.Ok()
            // Not 2xx, so the gateway retries: its webhook can overtake the commit of the payment it is about.
            : TypedResults.Problem(title: "No payment with this charge reference yet.", statusCode: StatusCodes.Status409Conflict);
    }

    /// <returns>False when the charge is unknown, so nothing was recorded and the gateway should retry.</returns>
    private static async Task<bool> HandleOnceAsync(
        BillingDbContext db, PaymentOutcomes outcomes, GatewayEvent gatewayEvent, TimeProvider clock, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync(
            async ct =>
            {
                var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.GatewayReference == gatewayEvent.Data.Charge, ct);
                if (payment is null)
                {
                    return false;
                }

                await OrderLocks.LockAsync(db, payment.OrderId, ct);
                // Recorded under the order lock and in the same transaction as the effect: a replayed or concurrently
                // duplicated event finds the row and changes nothing.
                var firstDelivery = await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO gateway_events (event_id, type, received_at) VALUES ({gatewayEvent.Id}, {gatewayEvent.Type}, {clock.GetUtcNow()})
                    ON CONFLICT DO NOTHING
                    """,
                    ct) == 1;
                if (!firstDelivery)
                {
                    return true;
                }

                var current = await db.Payments.SingleAsync(p => p.Id == payment.Id, ct);
                var order = await db.Orders.SingleAsync(o => o.Id == payment.OrderId, ct);
                // Only a pending charge changes: a late or duplicate verdict never undoes a final one.
                if (current.Status == PaymentStatus.Pending)
                {
                    if (gatewayEvent.Type == GatewayEvent.ChargeSucceeded)
                    {
                        await outcomes.SucceedAsync(order, current, ct);
                    }
                    else if (gatewayEvent.Type == GatewayEvent.ChargeFailed)
                    {
                        outcomes.Decline(order, current, gatewayEvent.Data.DeclineCode ?? "declined");
                    }
                }

                await db.SaveAndCommitAsync(ct);
                return true;
            },
            cancellationToken);
    }
}
