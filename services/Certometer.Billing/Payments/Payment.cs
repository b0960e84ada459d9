using System.Text.Json.Serialization;

namespace Certometer.Billing.Payments;

/// <summary>The state of one attempt to charge an order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentStatus>))]
public enum PaymentStatus
{
    Pending,
    Succeeded,
    Declined,
    Refunded,
}

/// <summary>
/// One charge attempt at the gateway. Card details are only what the gateway tells us back (brand, last 4 digits,
/// expiry): a full card number never reaches Billing.
/// </summary>
internal sealed class Payment
{
    public Guid Id { get; init; }

    public Guid OrderId { get; init; }

    /// <summary>1 for the first attempt on an order; a new attempt follows only a decline.</summary>
    public int Attempt { get; init; }

    public required string GatewayReference { get; init; }

    public PaymentStatus Status { get; set; }

    public string? DeclineCode { get; set; }

    public string? CardBrand { get; set; }

    public string? CardLast4 { get; set; }

    public int? CardExpiryMonth { get; set; }

    public int? CardExpiryYear { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The idempotency key the gateway sees for this attempt: a retry of the same attempt can never charge twice.</summary>
    public static string GatewayKey(Guid orderId, int attempt) => $"{orderId:D}/{attempt}";
}
