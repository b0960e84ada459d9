using System.Net;
using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Tests;

public sealed class HolderTests(BillingService billing)
{
    [Fact]
    public async Task Erasure_keeps_invoices_pseudonymised_deletes_card_details_and_unpaid_orders_and_says_why_in_the_receipt()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var paid = await learner.BuyAsync(courseId);
        var unpaid = await learner.OrderAsync(courseId);
        using var declined = await learner.PayAsync(unpaid.Id, SandboxCheckout.DeclinedCard);
        var issuedAt = await billing.QueryAsync(db => db.Invoices.Where(i => i.OrderId == paid.OrderId).Select(i => i.IssuedAt).SingleAsync());
        var requestId = Guid.NewGuid();

        await billing.PublishAsync(new SubjectErasureRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));

        var receipt = (await billing.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId)).Receipt;
        var invoices = receipt.Lines.Single(l => l.Category == "invoices");
        invoices.Action.ShouldBe(ErasureAction.Pseudonymise);
        invoices.Rows.ShouldBe(1);
        invoices.LegalBasis.ShouldNotBeNull().ShouldContain("AO §147");
        invoices.RetainedUntil.ShouldBe(DateOnly.FromDateTime(issuedAt.UtcDateTime).AddYears(10));
        receipt.Lines.Single(l => l.Category == "payment-card-details").ShouldBe(new ErasureReceiptLine("payment-card-details", ErasureAction.Erase, 2));
        receipt.Lines.Single(l => l.Category == "orders-and-payments" && l.Action == ErasureAction.Erase).Rows.ShouldBe(1);
        receipt.Lines.Single(l => l.Category == "orders-and-payments" && l.Action == ErasureAction.Pseudonymise).Rows.ShouldBe(1);

        var invoice = await billing.QueryAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == paid.OrderId));
        invoice.Number.ShouldBe(paid.Invoice!.Number);
        invoice.TotalMinor.ShouldBe(paid.Invoice.TotalMinor);
        invoice.SubjectId.ShouldNotBe(learner.SubjectId);
        invoice.BillTo.Name.ShouldStartWith("pseudonym-");
        invoice.BillTo.Country.ShouldBe("DE");
        (await billing.QueryAsync(db => db.Orders.AnyAsync(o => o.Id == unpaid.Id))).ShouldBeFalse();
        (await billing.QueryAsync(db => db.Payments.AnyAsync(p => p.CardLast4 != null && p.OrderId == paid.OrderId))).ShouldBeFalse();
        // The learner's token outlives the erasure; Billing no longer accepts it.
        (await learner.Client.GetAsync("/api/billing/me/orders", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var values = new[] { learner.Details.Name!, learner.Details.Address!.Line1!, learner.Details.Address.City!, learner.Details.Address.PostalCode!, learner.SubjectId.ToString() };
        var everything = await billing.AllTextAsync();
        var personal = everything.Where(cell => values.Any(value => cell.Value.Contains(value, StringComparison.OrdinalIgnoreCase))).ToList();
        // Not even in the outbox: the copies of the events sent for this learner (PaymentSucceeded, InvoiceIssued,
        // PaymentDeclined) went with the erasure.
        personal.ShouldBeEmpty();
        receipt.Lines.Single(l => l.Category == "sent-event-copies").Rows.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task The_same_subject_gets_the_same_pseudonym_on_every_kept_invoice()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var first = await learner.BuyAsync(courseId);
        var second = await learner.BuyAsync(await billing.OfferCourseAsync());
        var requestId = Guid.NewGuid();

        await billing.PublishAsync(new SubjectErasureRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));
        await billing.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);

        var pseudonyms = await billing.QueryAsync(db => db.Invoices.Where(i => i.OrderId == first.OrderId || i.OrderId == second.OrderId)
            .Select(i => new { i.SubjectId, i.BillTo.Name }).ToListAsync());
        pseudonyms.Count.ShouldBe(2);
        pseudonyms.Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Export_holds_orders_invoices_billing_details_and_only_brand_last4_and_expiry_of_cards()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var paid = await learner.BuyAsync(courseId);
        var requestId = Guid.NewGuid();

        await billing.PublishAsync(new SubjectDataExportRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));

        var part = await billing.WaitForEventAsync<SubjectDataExported>(e => e.RequestId == requestId);
        part.Service.ShouldBe("billing");
        using var content = JsonDocument.Parse(part.ContentJson);
        var root = content.RootElement;
        root.GetProperty("billingDetails")[0].GetProperty("name").GetString().ShouldBe(learner.Details.Name);
        root.GetProperty("orders")[0].GetProperty("id").GetGuid().ShouldBe(paid.OrderId);
        root.GetProperty("invoices")[0].GetProperty("number").GetString().ShouldBe(paid.Invoice!.Number);
        var card = root.GetProperty("payments")[0].GetProperty("card");
        card.GetProperty("last4").GetString().ShouldBe("4242");
        card.EnumerateObject().Select(p => p.Name).ShouldBe(["brand", "last4", "expiryMonth", "expiryYear"]);
        part.ContentJson.ShouldNotContain(SandboxCheckout.SucceedingCard);
        part.ContentJson.ShouldNotContain("gatewayReference", Case.Insensitive);
        part.RecordCount.ShouldBe(3);
    }

    [Fact]
    public async Task Rectification_changes_the_billing_details_of_future_invoices_but_never_an_issued_one()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var paid = await learner.BuyAsync(courseId);
        var open = await learner.OrderAsync(await billing.OfferCourseAsync());

        await billing.PublishAsync(new SubjectDataRectified(
            learner.SubjectId,
            new Dictionary<string, string?> { ["name"] = "Erika Musterfrau", ["mailingAddress.city"] = "Hamburg", ["email"] = "e@example.org" },
            DateTimeOffset.UtcNow));
        await BillingService.WaitUntilAsync(
            async () => (await learner.GetOrderAsync(open.Id)).BillingDetails.Name == "Erika Musterfrau", "the rectification");

        var nowPaid = (await learner.PayAsync(open.Id, SandboxCheckout.SucceedingCard)).StatusCode;
        nowPaid.ShouldBe(System.Net.HttpStatusCode.OK);
        var issued = await billing.QueryAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == paid.OrderId));
        var future = await billing.QueryAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == open.Id));
        issued.BillTo.Name.ShouldBe(learner.Details.Name);
        issued.BillTo.City.ShouldBe(learner.Details.Address!.City);
        (future.BillTo.Name, future.BillTo.City, future.BillTo.Line1).ShouldBe(("Erika Musterfrau", "Hamburg", learner.Details.Address.Line1));
    }

    [Fact]
    public async Task Restriction_is_recorded_and_lifting_it_clears_it()
    {
        using var learner = new Learner(billing);
        var restrictId = Guid.NewGuid();

        await billing.PublishAsync(new ProcessingRestrictionRequested(restrictId, learner.SubjectId, DateTimeOffset.UtcNow));
        await billing.WaitForEventAsync<ProcessingRestrictionApplied>(e => e.RequestId == restrictId);
        (await billing.QueryAsync(db => db.ProcessingRestrictions.AnyAsync(r => r.SubjectId == learner.SubjectId))).ShouldBeTrue();

        var liftId = Guid.NewGuid();
        await billing.PublishAsync(new ProcessingRestrictionLiftRequested(liftId, learner.SubjectId, DateTimeOffset.UtcNow));
        await billing.WaitForEventAsync<ProcessingRestrictionLifted>(e => e.RequestId == liftId);
        (await billing.QueryAsync(db => db.ProcessingRestrictions.AnyAsync(r => r.SubjectId == learner.SubjectId))).ShouldBeFalse();
    }
}
