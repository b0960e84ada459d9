using Certometer.Billing.Payments;

namespace Certometer.Billing.Orders;

/// <summary>An order for one course; the price, currency and title come from the price list, never from the client.</summary>
public sealed record CreateOrderRequest(Guid? CourseId, BillingDetailsDto? BillingDetails);

/// <summary>Who the invoice is made out to.</summary>
public sealed record BillingDetailsDto(string? Name, BillingAddressDto? Address);

/// <summary>A postal address; line 1, city, postal code and country are required.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. <c>DE</c>; decides the VAT rate.</param>
public sealed record BillingAddressDto(string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country);

/// <summary>One of the caller's orders, with its latest payment attempt and its invoice once paid.</summary>
public sealed record OrderResponse(
    Guid Id,
    Guid CourseId,
    string CourseTitle,
    long AmountMinor,
    string Currency,
    OrderStatus Status,
    BillingDetailsDto BillingDetails,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    PaymentSummary? Payment,
    InvoiceSummary? Invoice);

/// <summary>A payment attempt as the payer may see it: the card only as brand, last 4 digits and expiry.</summary>
public sealed record PaymentSummary(
    Guid Id,
    PaymentStatus Status,
    string? DeclineCode,
    string? CardBrand,
    string? CardLast4,
    int? CardExpiryMonth,
    int? CardExpiryYear,
    DateTimeOffset CreatedAt);

/// <summary>An issued invoice's number and amounts (minor units); VAT is contained in the total.</summary>
public sealed record InvoiceSummary(
    Guid Id,
    string Number,
    long NetMinor,
    decimal TaxRatePercent,
    long TaxMinor,
    long TotalMinor,
    string Currency,
    DateTimeOffset IssuedAt);
