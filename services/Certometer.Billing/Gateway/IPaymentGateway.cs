namespace Certometer.Billing.Gateway;

/// <summary>A card payment gateway: charges a card the client tokenized with it, and refunds charges.</summary>
/// <remarks>
/// Both calls take an idempotency key, and the gateway answers a repeated key with the original result instead of
/// acting again: that is what lets Billing retry after any failure without ever charging or refunding twice.
/// </remarks>
public interface IPaymentGateway
{
    Task<GatewayCharge> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);

    Task<GatewayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}

/// <summary>A charge of <paramref name="AmountMinor"/> to the card behind <paramref name="CardToken"/>.</summary>
public sealed record ChargeRequest(string CardToken, long AmountMinor, string Currency, string IdempotencyKey, Guid OrderId);

/// <summary>What a charge came to.</summary>
public enum ChargeOutcome
{
    Succeeded,
    Declined,

    /// <summary>The cardholder must confirm (e.g. 3-D Secure); the gateway reports the result later by webhook.</summary>
    RequiresConfirmation,
}

/// <summary>The gateway's answer to a charge: its reference, the outcome and the card as the gateway describes it.</summary>
/// <param name="DeclineCode">The gateway's reason, e.g. <c>insufficient_funds</c>, when declined.</param>
public sealed record GatewayCharge(string Reference, ChargeOutcome Outcome, string? DeclineCode, CardSummary? Card);

/// <summary>The only card details Billing ever sees: brand, last 4 digits and expiry.</summary>
public sealed record CardSummary(string Brand, string Last4, int ExpiryMonth, int ExpiryYear);

/// <summary>A full refund of the charge <paramref name="ChargeReference"/>.</summary>
public sealed record RefundRequest(string ChargeReference, long AmountMinor, string Currency, string IdempotencyKey);

/// <summary>The gateway's answer to a refund.</summary>
public sealed record GatewayRefund(string Reference, bool Succeeded, string? FailureCode);
