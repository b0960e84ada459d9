namespace Certometer.Contracts.Billing;

/// <summary>
/// The gateway confirmed payment for an order. Catalog enrolls the learner, once per order however often this arrives;
/// Billing publishes it until it is sure the enrollment can follow, so no paid order is left without its enrollment.
/// </summary>
[PublishedBy("billing")]
public sealed record PaymentSucceeded(
    Guid OrderId,
    Guid SubjectId,
    Guid CourseId,
    long AmountMinor,
    string Currency,
    DateTimeOffset PaidAt) : ISubjectFact;

/// <summary>The gateway declined payment for an order; nothing was charged and no enrollment follows.</summary>
/// <param name="Reason">The gateway's decline code, e.g. <c>insufficient_funds</c>; never card details.</param>
[PublishedBy("billing")]
public sealed record PaymentDeclined(Guid OrderId, Guid SubjectId, Guid CourseId, string Reason, DateTimeOffset DeclinedAt) : ISubjectFact;

/// <summary>An invoice was issued for a paid order (Notifications sends the receipt).</summary>
[PublishedBy("billing")]
public sealed record InvoiceIssued(
    Guid InvoiceId,
    Guid OrderId,
    Guid SubjectId,
    string Number,
    long TotalMinor,
    string Currency,
    DateTimeOffset IssuedAt) : ISubjectFact;

/// <summary>An order was refunded in full; Catalog ends the enrollment it paid for.</summary>
[PublishedBy("billing")]
public sealed record PaymentRefunded(Guid OrderId, Guid SubjectId, Guid CourseId, long AmountMinor, string Currency, DateTimeOffset RefundedAt) : ISubjectFact;
