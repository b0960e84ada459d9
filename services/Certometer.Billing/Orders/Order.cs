using System.Text.Json.Serialization;

namespace Certometer.Billing.Orders;

/// <summary>Where an order is on its way from placed to paid (or refunded).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    AwaitingPayment,
    AwaitingConfirmation,
    Declined,
    Paid,
    Refunded,
}

/// <summary>A learner's purchase of one course at the price on offer when it was placed.</summary>
internal sealed class Order
{
    public Guid Id { get; init; }

    /// <summary>The learner; replaced by a pseudonym when they are erased and the order must be kept for its invoice.</summary>
    public Guid SubjectId { get; set; }

    /// <summary>The client's key for this purchase: the same key from the same subject always means this order.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>A hash of the request that created the order, to tell a retry from a different purchase under a reused key.</summary>
    public string? RequestFingerprint { get; set; }

    public Guid CourseId { get; init; }

    public required string CourseTitle { get; init; }

    public long AmountMinor { get; init; }

    public required string Currency { get; init; }

    /// <summary>Who the invoice will be made out to; copied onto the invoice when it is issued.</summary>
    public required BillingDetails BillingDetails { get; set; }

    public OrderStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>
    /// Set when the buyer was erased while this order's charge still awaited the gateway's verdict: the order is kept,
    /// pseudonymised, until the charge settles, and whatever follows names nobody.
    /// </summary>
    public DateTimeOffset? BuyerErasedAt { get; set; }
}

/// <summary>The name and postal address an invoice is made out to.</summary>
internal sealed class BillingDetails
{
    public required string Name { get; set; }

    public required string Line1 { get; set; }

    public string? Line2 { get; set; }

    public required string City { get; set; }

    public string? Region { get; set; }

    public required string PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2; decides the tax rate, so it stays on a pseudonymised invoice as tax evidence.</summary>
    public required string Country { get; set; }

    public BillingDetails Copy() => (BillingDetails)MemberwiseClone();
}
