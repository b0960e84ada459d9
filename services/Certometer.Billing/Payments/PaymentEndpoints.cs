using System.Security.Claims;
using Certometer.Auth;
using Certometer.Billing.Orders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.Billing.Payments;

/// <summary>A payment for an order with a card token from the gateway; never a card number.</summary>
public sealed record PayOrderRequest(string? CardToken);

/// <summary>Where the order stands after the payment request, the attempt, and the invoice once paid.</summary>
public sealed record PaymentResponse(Guid OrderId, OrderStatus OrderStatus, PaymentSummary Payment, InvoiceSummary? Invoice);

internal static class PaymentEndpoints
{
    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/billing/orders/{id}/payments", Pay)
            .RequireAuthorization(PlatformPolicies.SignedIn)
            .WithTags("Payments")
            .WithName("PayOrder")
            .WithSummary("Charges the card behind a gateway token for one of the caller's orders; an order is never charged twice.")
            .WithDescription("200: paid (or already paid: the existing payment). 202: the cardholder must confirm; the gateway reports back. 402: declined.");
        return app;
    }

    private static async Task<Results<Ok<PaymentResponse>, Accepted<PaymentResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Pay(
        Guid id, PayOrderRequest request, ClaimsPrincipal user, Checkout checkout, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return OrderEndpoints.NotAPerson();
        }

        if (string.IsNullOrWhiteSpace(request.CardToken) || request.CardToken.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["cardToken"] = ["A card token from the payment gateway is required (tokenize the card with the gateway first)."],
            });
        }

        var result = await checkout.PayAsync(subjectId, id, request.CardToken.Trim(), cancellationToken);
        if (result.Kind == CheckoutKind.NotFound)
        {
            return TypedResults.NotFound();
        }

        var order = result.Order!;
        if (result.Kind == CheckoutKind.Refunded)
        {
            return TypedResults.Problem(title: "This order was refunded and cannot be paid again.", statusCode: StatusCodes.Status409Conflict);
        }

        var response = new PaymentResponse(
            order.Id, order.Status, OrderViews.Payment(result.Payment!), result.Invoice is null ? null : OrderViews.Invoice(result.Invoice));
        return result.Kind switch
        {
            CheckoutKind.Paid or CheckoutKind.AlreadyPaid when order.Status == OrderStatus.Paid => TypedResults.Ok(response),
            CheckoutKind.Declined => TypedResults.Problem(
                title: "The payment was declined.",
                detail: "Nothing was charged. Try another card.",
                statusCode: StatusCodes.Status402PaymentRequired,
                extensions: new Dictionary<string, object?> { ["declineCode"] = result.Payment!.DeclineCode, ["orderId"] = order.Id }),
            _ => TypedResults.Accepted($"/api/billing/me/orders/{order.Id}", response),
        };
    }
}
