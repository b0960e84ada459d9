using System.Collections.Concurrent;

namespace Certometer.Billing.Gateway;

/// <summary>
/// An in-process stand-in for a card gateway's test mode, behaving as the real one does towards Billing: cards are
/// tokenized with the gateway (never sent to Billing), the test card number decides the outcome, and a repeated
/// idempotency key returns the first result instead of charging again. Its state is the gateway's, not Billing's,
/// so it lives in memory and never in Billing's database.
/// </summary>
internal sealed class SandboxGateway(TimeProvider clock, SandboxConfirmations confirmations) : IPaymentGateway
{
    /// <summary>The test cards and what charging each one does.</summary>
    public static IReadOnlyDictionary<string, SandboxBehaviour> TestCards { get; } = new Dictionary<string, SandboxBehaviour>(StringComparer.Ordinal)
    {
        ["4242424242424242"] = SandboxBehaviour.Succeed,
        ["5555555555554444"] = SandboxBehaviour.Succeed,
        ["4000000000000002"] = SandboxBehaviour.DeclineCardDeclined,
        ["4000000000009995"] = SandboxBehaviour.DeclineInsufficientFunds,
        ["4000000000003220"] = SandboxBehaviour.RequireConfirmation,
    };

    private readonly ConcurrentDictionary<string, SandboxCard> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<GatewayCharge>> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<GatewayRefund>> _refunds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, int> _chargesPerOrder = new();

    /// <summary>Tokenizes a card as the gateway's client-side API does; only brand, last 4 and expiry are kept.</summary>
    public SandboxCard Tokenize(string number, int expiryMonth, int expiryYear)
    {
        var behaviour = TestCards.TryGetValue(number, out var known) ? known : SandboxBehaviour.Succeed;
        var card = new SandboxCard($"tok_{Guid.NewGuid():D}", BrandOf(number), number[^4..], expiryMonth, expiryYear, behaviour);
        _tokens[card.Token] = card;
        return card;
    }

    /// <summary>How many charges the gateway actually made for an order, whatever Billing asked.</summary>
    public int ChargesFor(Guid orderId) => _chargesPerOrder.GetValueOrDefault(orderId);

    public Task<GatewayCharge> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Lazy makes the charge happen once even when two calls with one key race each other.
        var charge = _charges.GetOrAdd(request.IdempotencyKey, _ => new Lazy<GatewayCharge>(() => Charge(request))).Value;
        return Task.FromResult(charge);
    }

    public Task<GatewayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var refund = _refunds.GetOrAdd(request.IdempotencyKey, _ => new Lazy<GatewayRefund>(() =>
            _charges.Values.Any(charge => charge.IsValueCreated && charge.Value.Reference == request.ChargeReference)
                ? new GatewayRefund($"re_{Guid.NewGuid():D}", true, null)
                : new GatewayRefund($"re_{Guid.NewGuid():D}", false, "charge_not_found"))).Value;
        return Task.FromResult(refund);
    }

    /// <summary>The webhook event the gateway sends when the cardholder finishes confirming a charge.</summary>
    public static string ConfirmationEvent(string eventId, string chargeReference, bool approved) =>
        System.Text.Json.JsonSerializer.Serialize(new GatewayEvent(
            eventId,
            approved ? GatewayEvent.ChargeSucceeded : GatewayEvent.ChargeFailed,
            new GatewayEventData(chargeReference, approved ? null : "authentication_failed")));

    private GatewayCharge Charge(ChargeRequest request)
    {
        if (!_tokens.TryGetValue(request.CardToken, out var card))
        {
            return new GatewayCharge($"ch_{Guid.NewGuid():D}", ChargeOutcome.Declined, "invalid_token", null);
        }

        var summary = new CardSummary(card.Brand, card.Last4, card.ExpiryMonth, card.ExpiryYear);
        var reference = $"ch_{Guid.NewGuid():D}";
        var now = clock.GetUtcNow();
        if (new DateOnly(card.ExpiryYear, card.ExpiryMonth, 1).AddMonths(1) <= DateOnly.FromDateTime(now.UtcDateTime))
        {
            return new GatewayCharge(reference, ChargeOutcome.Declined, "expired_card", summary);
        }

        return card.Behaviour switch
        {
            SandboxBehaviour.DeclineCardDeclined => new GatewayCharge(reference, ChargeOutcome.Declined, "card_declined", summary),
            SandboxBehaviour.DeclineInsufficientFunds => new GatewayCharge(reference, ChargeOutcome.Declined, "insufficient_funds", summary),
            SandboxBehaviour.RequireConfirmation => Confirmed(Counted(request, new GatewayCharge(reference, ChargeOutcome.RequiresConfirmation, null, summary))),
            _ => Counted(request, new GatewayCharge(reference, ChargeOutcome.Succeeded, null, summary)),
        };
    }

    private GatewayCharge Confirmed(GatewayCharge charge)
    {
        confirmations.Confirm(charge.Reference);
        return charge;
    }

    private GatewayCharge Counted(ChargeRequest request, GatewayCharge charge)
    {
        _chargesPerOrder.AddOrUpdate(request.OrderId, 1, (_, count) => count + 1);
        return charge;
    }

    private static string BrandOf(string number) => number switch
    {
        ['4', ..] => "visa",
        ['5', >= '1' and <= '5', ..] or ['2', ..] => "mastercard",
        ['3', '4' or '7', ..] => "amex",
        _ => "unknown",
    };
}

/// <summary>What charging a sandbox test card does.</summary>
internal enum SandboxBehaviour
{
    Succeed,
    DeclineCardDeclined,
    DeclineInsufficientFunds,
    RequireConfirmation,
}

/// <summary>A tokenized sandbox card: the token and what the gateway tells the merchant about the card.</summary>
internal sealed record SandboxCard(string Token, string Brand, string Last4, int ExpiryMonth, int ExpiryYear, SandboxBehaviour Behaviour);

/// <summary>A webhook event as the gateway sends it.</summary>
public sealed record GatewayEvent(string Id, string Type, GatewayEventData Data)
{
    public const string ChargeSucceeded = "charge.succeeded";
    public const string ChargeFailed = "charge.failed";
}

/// <summary>The charge a webhook event is about.</summary>
public sealed record GatewayEventData(string Charge, string? DeclineCode);
