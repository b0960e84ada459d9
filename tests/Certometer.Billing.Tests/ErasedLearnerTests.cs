using System.Net;
using Certometer.Billing.Gateway;
using Certometer.Billing.Orders;
using Certometer.Billing.PersonalData;
using Certometer.Contracts.Billing;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Tests;

/// <summary>Once Billing erased a learner, no late correction or restriction writes their values again.</summary>
public sealed class ErasedLearnerTests(BillingService billing)
{
    public static TheoryData<string> LateArrivals => ["rectification", "restriction"];

    [Theory]
    [MemberData(nameof(LateArrivals))]
    public async Task Whatever_arrives_after_the_erasure_leaves_none_of_the_learner_s_values_in_Billing(string arrival)
    {
        using var learner = new Learner(billing);
        await learner.OrderAsync(await billing.OfferCourseAsync());
        var requestId = Guid.NewGuid();
        await billing.DeliverAsync(new SubjectErasureRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));
        await billing.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);
        var lateName = $"Late Name {Guid.NewGuid():N}";

        await (arrival switch
        {
            "rectification" => billing.DeliverAsync(
                new SubjectDataRectified(learner.SubjectId, new Dictionary<string, string?> { ["name"] = lateName }, DateTimeOffset.UtcNow)),
            "restriction" => billing.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), learner.SubjectId, DateTimeOffset.UtcNow)),
            _ => throw new ArgumentOutOfRangeException(nameof(arrival)),
        });

        var values = new[] { learner.SubjectId.ToString(), learner.Details.Name!, learner.Details.Address!.Line1!, lateName };
        (await billing.AllTextAsync()).Where(cell => values.Any(value => cell.Value.Contains(value, StringComparison.OrdinalIgnoreCase)))
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task A_charge_still_awaiting_confirmation_is_kept_pseudonymised_says_so_on_the_receipt_settles_naming_nobody_and_is_refunded()
    {
        using var learner = new Learner(billing);
        var order = await learner.OrderAsync(await billing.OfferCourseAsync());
        using (var paying = await learner.PayAsync(order.Id, SandboxCheckout.ConfirmationCard))
        {
            paying.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var charge = await billing.QueryAsync(db => db.Payments.Where(p => p.OrderId == order.Id).Select(p => p.GatewayReference).SingleAsync());
        var requestId = Guid.NewGuid();
        await billing.DeliverAsync(new SubjectErasureRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));
        var receipt = (await billing.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId)).Receipt;

        receipt.Lines.ShouldContain(line => line.Category == BillingPersonalData.OrdersAndPayments
            && line.Action == ErasureAction.Pseudonymise && line.Rows == 1 && line.LegalBasis == BillingPersonalData.PendingChargeLegalBasis);
        (await billing.QueryAsync(db => db.Orders.AnyAsync(o => o.Id == order.Id))).ShouldBeTrue("the charge may still take money, so its order is kept");

        // The cardholder confirms after all: the money is invoiced, to nobody in particular, and nobody is enrolled.
        using (var confirmed = await billing.PostWebhookAsync(SandboxGateway.ConfirmationEvent($"evt_{Guid.NewGuid():D}", charge, approved: true)))
        {
            confirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var invoice = await billing.QueryAsync(db => db.Invoices.AsNoTracking().SingleAsync(i => i.OrderId == order.Id));
        invoice.BillTo.Name.ShouldStartWith("pseudonym-");
        // Nobody is left to have bought anything: the money goes back, without an event naming anyone.
        await Eventually.HoldsAsync(
            async () => await billing.QueryAsync(db => db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync()) == OrderStatus.Refunded,
            "the settled charge of the erased buyer is refunded",
            cancellationToken: TestContext.Current.CancellationToken);
        var refund = await billing.QueryAsync(db => db.Refunds.AsNoTracking().SingleAsync(r => r.OrderId == order.Id));
        refund.AmountMinor.ShouldBe(order.AmountMinor);
        (await billing.EventsAsync<PaymentRefunded>()).ShouldNotContain(e => e.OrderId == order.Id);
        (await billing.EventsAsync<PaymentSucceeded>()).ShouldNotContain(e => e.OrderId == order.Id);
        (await billing.EventsAsync<InvoiceIssued>()).ShouldNotContain(e => e.OrderId == order.Id);
        var values = new[] { learner.SubjectId.ToString(), learner.Details.Name!, learner.Details.Address!.Line1!, learner.Details.Address.City! };
        (await billing.AllTextAsync()).Where(cell => values.Any(value => cell.Value.Contains(value, StringComparison.OrdinalIgnoreCase)))
            .ShouldBeEmpty();
    }
}
