using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Notifications.Marketing;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Notifications.Tests;

// Campaigns go to every eligible recipient in the database, so each test looks only at its own people's mailboxes.
[Collection(nameof(MarketingTests))]
public sealed class MarketingTests(NotificationsService service)
{
    [Fact]
    public async Task Marketing_goes_only_to_recipients_who_consented_and_are_not_restricted()
    {
        var consented = await service.RegisterAsync(marketing: true);
        var refused = await service.RegisterAsync(marketing: false);
        var restricted = await service.RegisterAsync(marketing: true);
        await service.PublishAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), restricted.SubjectId, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.SubjectSettings.AnyAsync(s => s.SubjectId == restricted.SubjectId && s.Restricted, TestContext.Current.CancellationToken)),
            "the restriction recorded");

        var headline = await SendCampaignAsync();

        await NotificationsService.EventuallyAsync(() => Task.FromResult(Marketing(consented, headline).Count == 1), "marketing for the consenting recipient");
        await WaitUntilCampaignHandledAsync(headline);
        Marketing(refused, headline).ShouldBeEmpty();
        Marketing(restricted, headline).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unsubscribed_address_gets_no_marketing_even_after_its_erasure_and_a_new_registration()
    {
        var person = await service.RegisterAsync(marketing: true);
        var first = await SendCampaignAsync();
        await NotificationsService.EventuallyAsync(() => Task.FromResult(Marketing(person, first).Count == 1), "the first campaign");
        var link = Marketing(person, first).Single().Headers["List-Unsubscribe"]!.Trim('<', '>');
        new Uri(link).Host.ShouldBe("notifications.test");

        // The link from the email works with no sign-in at all.
        using var anonymous = service.Factory.CreateClient();
        using (var page = await anonymous.GetAsync(new Uri(link).PathAndQuery, TestContext.Current.CancellationToken))
        {
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var unsubscribe = await anonymous.PostAsync(new Uri(link).PathAndQuery, null, TestContext.Current.CancellationToken))
        {
            unsubscribe.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var erasureId = Guid.NewGuid();
        await service.PublishAsync(new SubjectErasureRequested(erasureId, person.SubjectId, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => !await service.QueryAsync(db => db.Recipients.AnyAsync(r => r.SubjectId == person.SubjectId, TestContext.Current.CancellationToken)),
            "the erasure");
        (await service.QueryAsync(db => db.SuppressionList.CountAsync(TestContext.Current.CancellationToken))).ShouldBeGreaterThan(0);
        (await service.QueryAsync(db => db.Recipients.AnyAsync(r => r.Email == person.Email, TestContext.Current.CancellationToken))).ShouldBeFalse();

        var again = await service.RegisterAsync(marketing: true, email: person.Email.ToUpperInvariant());
        var control = await service.RegisterAsync(marketing: true);
        var second = await SendCampaignAsync();

        await NotificationsService.EventuallyAsync(() => Task.FromResult(Marketing(control, second).Count == 1), "marketing for the control recipient");
        await WaitUntilCampaignHandledAsync(second);
        service.Mailbox.To(again.Email).ShouldNotContain(m => m.Subject == second);
    }

    [Fact]
    public async Task An_objection_to_marketing_suppresses_the_address_and_outlives_a_later_consent()
    {
        var objector = await service.RegisterAsync(marketing: true);
        var analyticsObjector = await service.RegisterAsync(marketing: true);
        var objectedAt = DateTimeOffset.UtcNow;
        await service.PublishAsync(new SubjectObjectedToProcessing(Guid.NewGuid(), objector.SubjectId, ObjectionPurpose.Marketing, objectedAt));
        await service.PublishAsync(new SubjectObjectedToProcessing(Guid.NewGuid(), analyticsObjector.SubjectId, ObjectionPurpose.Analytics, objectedAt));
        var hasher = service.Factory.Services.GetRequiredService<AddressHasher>();
        var hash = hasher.Hash(objector.Email);
        var analyticsObjectorHash = hasher.Hash(analyticsObjector.Email);
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.SuppressionList.AnyAsync(s => s.AddressHash == hash && s.Reason == "objected", TestContext.Current.CancellationToken)),
            "the objector's address suppressed");

        // A "yes" to marketing made after the objection does not bring marketing back: the objection is absolute.
        await service.PublishAsync(new ConsentsInForce(objector.SubjectId, Marketing: true, Analytics: false, Sequence: 3, objectedAt.AddMinutes(1)));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.SubjectSettings.AnyAsync(
                s => s.SubjectId == objector.SubjectId && s.MarketingConsent && s.ConsentRecordedAt > objectedAt, TestContext.Current.CancellationToken)),
            "the later consent recorded");
        // The objection follows the person to a new address, so that address stays suppressed even after an erasure.
        var newAddress = $"moved.{Guid.NewGuid():N}@example.test";
        var newHash = hasher.Hash(newAddress);
        await service.PublishAsync(new SubjectDataRectified(objector.SubjectId, new Dictionary<string, string?> { ["email"] = newAddress }, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.SuppressionList.AnyAsync(s => s.AddressHash == newHash && s.Reason == "objected", TestContext.Current.CancellationToken)),
            "the objector's new address suppressed");
        var headline = await SendCampaignAsync();

        // An objection to analytics is not one to marketing: that subject still gets what they agreed to.
        await NotificationsService.EventuallyAsync(() => Task.FromResult(Marketing(analyticsObjector, headline).Count == 1), "marketing for the analytics objector");
        await WaitUntilCampaignHandledAsync(headline);
        Marketing(objector, headline).ShouldBeEmpty();
        service.Mailbox.To(newAddress).ShouldNotContain(m => m.Subject == headline);
        (await service.QueryAsync(db => db.SuppressionList.AnyAsync(s => s.AddressHash == analyticsObjectorHash, TestContext.Current.CancellationToken))).ShouldBeFalse();
    }

    [Fact]
    public async Task An_objection_that_arrives_before_the_registration_suppresses_the_address_and_outlives_the_erasure()
    {
        var subjectId = Guid.NewGuid();
        await service.PublishAsync(new SubjectObjectedToProcessing(Guid.NewGuid(), subjectId, ObjectionPurpose.Marketing, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.SubjectSettings.AnyAsync(s => s.SubjectId == subjectId && s.MarketingObjectedAt != null, TestContext.Current.CancellationToken)),
            "the objection recorded for a subject Notifications has no address for");

        var email = $"early.objector.{Guid.NewGuid():N}@example.test";
        var hash = service.Factory.Services.GetRequiredService<AddressHasher>().Hash(email);
        await service.PublishAsync(new LearnerRegistered(subjectId, "Early Objector", email, null, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.SuppressionList.AnyAsync(s => s.AddressHash == hash && s.Reason == "objected", TestContext.Current.CancellationToken)),
            "the address suppressed once it is known");

        await service.PublishAsync(new SubjectErasureRequested(Guid.NewGuid(), subjectId, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => !await service.QueryAsync(db => db.Recipients.AnyAsync(r => r.SubjectId == subjectId, TestContext.Current.CancellationToken)),
            "the erasure");
        (await service.QueryAsync(db => db.SuppressionList.AnyAsync(s => s.AddressHash == hash, TestContext.Current.CancellationToken)))
            .ShouldBeTrue("the objection outlives the erasure as a keyed hash, like an unsubscribe");
    }

    [Fact]
    public async Task A_tampered_unsubscribe_link_is_refused_with_a_problem_and_suppresses_nothing()
    {
        var before = await service.QueryAsync(db => db.SuppressionList.CountAsync(TestContext.Current.CancellationToken));
        using var anonymous = service.Factory.CreateClient();

        using var response = await anonymous.PostAsync("/api/notifications/unsubscribe?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await service.QueryAsync(db => db.SuppressionList.CountAsync(TestContext.Current.CancellationToken))).ShouldBe(before);
    }

    private List<MimeKit.MimeMessage> Marketing(Person person, string headline) =>
        [.. service.Mailbox.To(person.Email).Where(m => m.Subject == headline)];

    private async Task<string> SendCampaignAsync()
    {
        var headline = $"New courses {Guid.NewGuid():N}"[..24];
        using var http = service.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TestTokens.ForPerson(Guid.NewGuid(), "operator", "notifications", "urn:certometer:notifications"));
        using var response = await http.PostAsJsonAsync("/api/notifications/campaigns", new { headline, body = "Fresh certifications this month." }, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return headline;
    }

    // Only this campaign's messages: other tests in the class fixture (a policy notice to every recipient) keep the
    // shared queue busy, and waiting for all of it made these tests time out on a loaded machine.
    private Task WaitUntilCampaignHandledAsync(string headline) => NotificationsService.EventuallyAsync(
        async () => await service.QueryAsync(db => db.Messages
            .Where(m => m.Subject == headline)
            .AllAsync(m => m.Status != Delivery.DeliveryStatus.Queued, TestContext.Current.CancellationToken)),
        "every message of the campaign handled");
}
