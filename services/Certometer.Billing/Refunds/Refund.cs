namespace Certometer.Billing.Refunds;

/// <summary>A full refund of an order's payment, as the gateway confirmed it.</summary>
internal sealed class Refund
{
    public Guid Id { get; init; }

    public Guid OrderId { get; init; }

    public Guid PaymentId { get; init; }

    public required string GatewayReference { get; init; }

    public long AmountMinor { get; init; }

    public required string Currency { get; init; }

    public DateTimeOffset RefundedAt { get; init; }
}
