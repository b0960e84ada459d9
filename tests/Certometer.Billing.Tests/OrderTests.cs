using System.Net;
using System.Net.Http.Json;
using Certometer.Billing.Orders;
using Certometer.Contracts.Catalog;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Billing.Tests;

public sealed class OrderTests(BillingService billing)
{
    [Fact]
    public async Task An_order_takes_price_currency_and_title_from_the_price_list()
    {
        var courseId = await billing.OfferCourseAsync(priceMinor: 12345, currency: "EUR", title: "GDPR Practitioner");
        using var learner = new Learner(billing);

        var order = await learner.OrderAsync(courseId);

        order.AmountMinor.ShouldBe(12345);
        order.Currency.ShouldBe("EUR");
        order.CourseTitle.ShouldBe("GDPR Practitioner");
        order.Status.ShouldBe(OrderStatus.AwaitingPayment);
        order.BillingDetails.Name.ShouldBe(learner.Details.Name);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_twice_gives_one_order()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var key = Guid.NewGuid().ToString();

        var first = await learner.OrderAsync(courseId, key);
        using var again = await learner.PostOrderAsync(courseId, key, learner.Details);

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadFromJsonAsync<OrderResponse>(TestContext.Current.CancellationToken))!.Id.ShouldBe(first.Id);
        (await billing.QueryAsync(db => db.Orders.CountAsync(o => o.SubjectId == learner.SubjectId, TestContext.Current.CancellationToken))).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_Idempotency_Key_give_one_order()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => learner.PostOrderAsync(courseId, key, learner.Details)));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.OK);
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<OrderResponse>(TestContext.Current.CancellationToken))!.Id));
        ids.Distinct().Count().ShouldBe(1);
        (await billing.QueryAsync(db => db.Orders.CountAsync(o => o.SubjectId == learner.SubjectId, TestContext.Current.CancellationToken))).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_with_a_different_body_is_refused_and_creates_nothing()
    {
        var courseId = await billing.OfferCourseAsync();
        var otherCourseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        var key = Guid.NewGuid().ToString();
        await learner.OrderAsync(courseId, key);

        using var reused = await learner.PostOrderAsync(otherCourseId, key, learner.Details);

        reused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        reused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await billing.QueryAsync(db => db.Orders.CountAsync(o => o.SubjectId == learner.SubjectId, TestContext.Current.CancellationToken))).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_from_another_learner_is_their_own_order()
    {
        var courseId = await billing.OfferCourseAsync();
        using var alice = new Learner(billing);
        using var bob = new Learner(billing);
        var key = Guid.NewGuid().ToString();

        var alices = await alice.OrderAsync(courseId, key);
        var bobs = await bob.OrderAsync(courseId, key);

        bobs.Id.ShouldNotBe(alices.Id);
    }

    [Fact]
    public async Task An_order_without_an_Idempotency_Key_or_with_bad_details_is_a_validation_problem()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);

        using var noKey = await learner.PostOrderAsync(courseId, null, learner.Details);
        using var noAddress = await learner.PostOrderAsync(courseId, "k1", new BillingDetailsDto("Erika", null));
        using var badCountry = await learner.PostOrderAsync(
            courseId, "k2", new BillingDetailsDto("Erika", new BillingAddressDto("Street 1", null, "Berlin", null, "10115", "Germany")));
        using var notJson = await learner.Client.PostAsync(
            "/api/billing/orders", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        foreach (var response in new[] { noKey, noAddress, badCountry, notJson })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        (await noKey.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Idempotency-Key");
        (await badCountry.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("billingDetails.address.country");
        (await billing.QueryAsync(db => db.Orders.CountAsync(o => o.SubjectId == learner.SubjectId, TestContext.Current.CancellationToken))).ShouldBe(0);
    }

    [Fact]
    public async Task Free_unknown_and_retired_courses_cannot_be_ordered()
    {
        var free = await billing.OfferCourseAsync(priceMinor: 0);
        var retired = await billing.OfferCourseAsync();
        await billing.PublishAsync(new CourseRetired(retired, 2, DateTimeOffset.UtcNow));
        await BillingService.WaitUntilAsync(
            () => billing.QueryAsync(db => db.CourseOffers.AnyAsync(c => c.CourseId == retired && c.Retired)), "the retirement");
        using var learner = new Learner(billing);

        using var freeOrder = await learner.PostOrderAsync(free, "free", learner.Details);
        using var unknownOrder = await learner.PostOrderAsync(Guid.NewGuid(), "unknown", learner.Details);
        using var retiredOrder = await learner.PostOrderAsync(retired, "retired", learner.Details);

        freeOrder.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await freeOrder.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("free");
        unknownOrder.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        retiredOrder.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await retiredOrder.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("not on sale");
    }

    [Fact]
    public async Task A_late_older_offer_never_overwrites_a_newer_one_nor_revives_a_retired_course()
    {
        var courseId = Guid.NewGuid();
        var retiredId = Guid.NewGuid();
        await billing.PublishAsync(new CourseOffered(courseId, "c", "New title", 5000, "EUR", 3, DateTimeOffset.UtcNow));
        await billing.PublishAsync(new CourseRetired(retiredId, 2, DateTimeOffset.UtcNow));
        await BillingService.WaitUntilAsync(
            async () => await billing.QueryAsync(db => db.CourseOffers.CountAsync(c => c.CourseId == courseId || c.CourseId == retiredId)) == 2,
            "both courses on the price list");

        await billing.PublishAsync(new CourseOffered(courseId, "c", "Old title", 1000, "EUR", 2, DateTimeOffset.UtcNow));
        await billing.PublishAsync(new CourseOffered(retiredId, "r", "Before retirement", 1000, "EUR", 1, DateTimeOffset.UtcNow));
        // A newer offer sent after the old ones proves they were all consumed before the assertions.
        var marker = await billing.OfferCourseAsync();
        await BillingService.WaitUntilAsync(() => billing.QueryAsync(db => db.CourseOffers.AnyAsync(c => c.CourseId == marker)), "the marker");
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var offer = await billing.QueryAsync(db => db.CourseOffers.SingleAsync(c => c.CourseId == courseId));
        offer.Title.ShouldBe("New title");
        offer.PriceMinor.ShouldBe(5000);
        offer.Version.ShouldBe(3);
        (await billing.QueryAsync(db => db.CourseOffers.SingleAsync(c => c.CourseId == retiredId))).Retired.ShouldBeTrue();
    }

    [Fact]
    public async Task A_learner_sees_only_their_own_orders_and_another_learners_order_is_not_found()
    {
        var courseId = await billing.OfferCourseAsync();
        using var alice = new Learner(billing);
        using var bob = new Learner(billing);
        var alicesOrder = await alice.OrderAsync(courseId);
        await bob.OrderAsync(courseId);

        using var bobReadsAlices = await bob.Client.GetAsync($"/api/billing/me/orders/{alicesOrder.Id}", TestContext.Current.CancellationToken);
        using var bobPaysAlices = await bob.PayAsync(alicesOrder.Id, SandboxCheckout.SucceedingCard);
        var bobsList = await bob.Client.GetStringAsync("/api/billing/me/orders", TestContext.Current.CancellationToken);
        var alicesList = await alice.Client.GetFromJsonAsync<List<OrderResponse>>("/api/billing/me/orders", TestContext.Current.CancellationToken);

        bobReadsAlices.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        bobPaysAlices.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        billing.Sandbox.ChargesFor(alicesOrder.Id).ShouldBe(0);
        bobsList.ShouldNotContain(alicesOrder.Id.ToString());
        bobsList.ShouldNotContain(alice.Details.Name!);
        alicesList!.Select(o => o.Id).ShouldBe([alicesOrder.Id]);
    }

    [Fact]
    public async Task Orders_need_a_learners_token()
    {
        using var anonymous = billing.Factory.CreateClient();
        using var service = billing.Factory.CreateClient();
        service.DefaultRequestHeaders.Authorization = new("Bearer", Certometer.TestInfrastructure.TestTokens.ForService("billing", "urn:certometer:billing"));

        (await anonymous.GetAsync("/api/billing/me/orders", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await service.GetAsync("/api/billing/me/orders", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
