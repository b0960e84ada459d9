using System.Security.Claims;
using Certometer.Auth;
using Certometer.Billing.Data;
using Certometer.Billing.Invoices;
using Certometer.Billing.Payments;
using Certometer.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Orders;

internal static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/billing").WithTags("Orders").RequireAuthorization(PlatformPolicies.SignedIn);
        orders.MapPost("/orders", CreateOrder).WithName("CreateOrder")
            .WithSummary("Places an order for a course on offer, at its listed price; repeat with the same Idempotency-Key to retry safely.");
        // The subject comes from the token, never from the URL: another learner's order id answers 404.
        orders.MapGet("/me/orders", ListMyOrders).WithName("ListMyOrders").WithSummary("The signed-in learner's orders, newest first.");
        orders.MapGet("/me/orders/{id}", GetMyOrder).WithName("GetMyOrder").WithSummary("One of the signed-in learner's orders.");
        return app;
    }

    private static async Task<Results<Created<OrderResponse>, Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> CreateOrder(
        CreateOrderRequest request,
        [FromHeader(Name = OrderRules.IdempotencyKeyHeader)] string? idempotencyKey,
        ClaimsPrincipal user,
        BillingDbContext db,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return NotAPerson();
        }

        var errors = OrderRules.Validate(request, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var key = idempotencyKey!.Trim();
        var courseId = request.CourseId!.Value;
        var details = OrderRules.Normalise(request.BillingDetails!);
        var fingerprint = OrderRules.Fingerprint(courseId, details);

        var earlier = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.SubjectId == subjectId && o.IdempotencyKey == key, cancellationToken);
        if (earlier is not null)
        {
            return await SameRequestAgainAsync(db, earlier, fingerprint, cancellationToken);
        }

        var offer = await db.CourseOffers.AsNoTracking().SingleOrDefaultAsync(c => c.CourseId == courseId, cancellationToken);
        if (offer is null || offer.Retired)
        {
            return TypedResults.Problem(
                title: "This course is not on sale.",
                detail: "It is unknown to Billing or has been retired; choose a course from the catalog.",
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        if (offer.PriceMinor == 0)
        {
            return TypedResults.Problem(
                title: "This course is free.",
                detail: "Free courses are not bought: enroll in Catalog directly.",
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var order = new Order
        {
            Id = Guid.CreateVersion7(),
            SubjectId = subjectId,
            IdempotencyKey = key,
            RequestFingerprint = fingerprint,
            CourseId = offer.CourseId,
            CourseTitle = offer.Title,
            AmountMinor = offer.PriceMinor,
            Currency = offer.Currency,
            BillingDetails = details,
            Status = OrderStatus.AwaitingPayment,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Orders.Add(order);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // The same request twice at the same moment: the unique key decides, and the loser answers with the winner's order.
            db.ChangeTracker.Clear();
            var winner = await db.Orders.AsNoTracking().SingleAsync(o => o.SubjectId == subjectId && o.IdempotencyKey == key, cancellationToken);
            return await SameRequestAgainAsync(db, winner, fingerprint, cancellationToken);
        }

        return TypedResults.Created($"/api/billing/me/orders/{order.Id}", OrderViews.Of(order, null, null));
    }

    private static async Task<Results<Created<OrderResponse>, Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> SameRequestAgainAsync(
        BillingDbContext db, Order earlier, string fingerprint, CancellationToken cancellationToken)
    {
        if (!string.Equals(earlier.RequestFingerprint, fingerprint, StringComparison.Ordinal))
        {
            return TypedResults.Problem(
                title: "This Idempotency-Key was already used for a different order.",
                detail: "Use a new key for a new purchase; reuse a key only to retry exactly the same request.",
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        return TypedResults.Ok((await OrderViews.LoadAsync(db, [earlier], cancellationToken)).Single());
    }

    private static async Task<Results<Ok<List<OrderResponse>>, ProblemHttpResult>> ListMyOrders(
        ClaimsPrincipal user, BillingDbContext db, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return NotAPerson();
        }

        var orders = await db.Orders.AsNoTracking().Where(o => o.SubjectId == subjectId).OrderByDescending(o => o.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(await OrderViews.LoadAsync(db, orders, cancellationToken));
    }

    private static async Task<Results<Ok<OrderResponse>, NotFound, ProblemHttpResult>> GetMyOrder(
        Guid id, ClaimsPrincipal user, BillingDbContext db, CancellationToken cancellationToken)
    {
        if (!CallerSubject.TryGet(user, out var subjectId))
        {
            return NotAPerson();
        }

        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id && o.SubjectId == subjectId, cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok((await OrderViews.LoadAsync(db, [order], cancellationToken)).Single());
    }

    public static ProblemHttpResult NotAPerson() =>
        TypedResults.Problem(title: "Only a person's token can act on orders.", statusCode: StatusCodes.Status403Forbidden);
}

/// <summary>Orders as the API shows them.</summary>
internal static class OrderViews
{
    public static async Task<List<OrderResponse>> LoadAsync(BillingDbContext db, IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        var ids = orders.Select(o => o.Id).ToList();
        var payments = (await db.Payments.AsNoTracking().Where(p => ids.Contains(p.OrderId)).ToListAsync(cancellationToken))
            .GroupBy(p => p.OrderId).ToDictionary(g => g.Key, g => g.MaxBy(p => p.Attempt));
        var invoices = await db.Invoices.AsNoTracking().Where(i => ids.Contains(i.OrderId)).ToDictionaryAsync(i => i.OrderId, cancellationToken);
        return [.. orders.Select(o => Of(o, payments.GetValueOrDefault(o.Id), invoices.GetValueOrDefault(o.Id)))];
    }

    public static OrderResponse Of(Order order, Payment? payment, Invoice? invoice) => new(
        order.Id,
        order.CourseId,
        order.CourseTitle,
        order.AmountMinor,
        order.Currency,
        order.Status,
        Details(order.BillingDetails),
        order.CreatedAt,
        order.PaidAt,
        payment is null ? null : Payment(payment),
        invoice is null ? null : Invoice(invoice));

    public static BillingDetailsDto Details(BillingDetails details) => new(
        details.Name,
        new BillingAddressDto(details.Line1, details.Line2, details.City, details.Region, details.PostalCode, details.Country));

    public static PaymentSummary Payment(Payment payment) => new(
        payment.Id,
        payment.Status,
        payment.DeclineCode,
        payment.CardBrand,
        payment.CardLast4,
        payment.CardExpiryMonth,
        payment.CardExpiryYear,
        payment.CreatedAt);

    public static InvoiceSummary Invoice(Invoice invoice) => new(
        invoice.Id, invoice.Number, invoice.NetMinor, invoice.TaxRatePercent, invoice.TaxMinor, invoice.TotalMinor, invoice.Currency, invoice.IssuedAt);
}
