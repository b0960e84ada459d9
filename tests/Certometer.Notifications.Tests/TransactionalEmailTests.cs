using Certometer.Contracts.Billing;
using Certometer.Contracts.Catalog;
using Certometer.Contracts.Identity;
using Certometer.Notifications.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Tests;

public sealed class TransactionalEmailTests(NotificationsService service)
{
    [Fact]
    public async Task An_enrollment_delivered_several_times_sends_exactly_one_confirmation()
    {
        var person = await service.RegisterAsync(marketing: false);
        var enrollment = new EnrollmentCreated(Guid.NewGuid(), person.SubjectId, Guid.NewGuid(), "Kubernetes Fundamentals", Guid.NewGuid(), DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        // The broker redelivers the same message three times at once, and the publisher sends the same fact again under a new id.
        var secondId = Guid.NewGuid();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => service.PublishAsync(enrollment, messageId)));
        await service.PublishAsync(enrollment, secondId);

        await NotificationsService.EventuallyAsync(
            () => Task.FromResult(service.Mailbox.To(person.Email).Any(m => (m.Subject ?? "").Contains("Kubernetes Fundamentals", StringComparison.Ordinal))),
            "the enrollment confirmation");
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.Set<Certometer.Messaging.Inbox.InboxMessage>()
                .CountAsync(m => m.MessageId == messageId || m.MessageId == secondId, TestContext.Current.CancellationToken)) == 2,
            "both message ids consumed");
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.Messages
                .Where(m => m.SubjectId == person.SubjectId)
                .AllAsync(m => m.Status != DeliveryStatus.Queued, TestContext.Current.CancellationToken)),
            "every message queued for the learner handled");

        service.Mailbox.To(person.Email).Count(m => (m.Subject ?? "").Contains("Kubernetes Fundamentals", StringComparison.Ordinal)).ShouldBe(1);
        var log = await service.QueryAsync(db => db.Messages.Where(m => m.DeduplicationKey == $"enrollment:{enrollment.EnrollmentId}")
            .ToListAsync(TestContext.Current.CancellationToken));
        log.Count.ShouldBe(1);
        log[0].Status.ShouldBe(DeliveryStatus.Sent);
        log[0].Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task A_declined_payment_tells_the_buyer_nothing_was_taken_once_however_often_it_arrives()
    {
        var person = await service.RegisterAsync(marketing: false);
        var declined = new PaymentDeclined(Guid.NewGuid(), person.SubjectId, Guid.NewGuid(), "insufficient_funds", new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

        await service.PublishAsync(declined);
        await service.PublishAsync(declined);

        await NotificationsService.EventuallyAsync(
            () => Task.FromResult(service.Mailbox.To(person.Email).Any(m => m.Subject == "Your payment did not go through")), "the decline notice");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var email = service.Mailbox.To(person.Email).Single(m => m.Subject == "Your payment did not go through");
        email.TextBody!.ShouldContain(declined.OrderId.ToString());
        email.TextBody!.ShouldContain("insufficient_funds");
        email.TextBody!.ShouldContain("No money was taken");
        email.TextBody!.ShouldContain("2026-12-01");
    }

    [Fact]
    public async Task A_confirmation_that_arrives_before_the_registration_waits_for_it_instead_of_being_dropped()
    {
        var subjectId = Guid.NewGuid();
        var email = $"early.{Guid.NewGuid():N}@example.test"[..40];
        await service.PublishAsync(new EnrollmentCreated(Guid.NewGuid(), subjectId, Guid.NewGuid(), "Early Bird Course", null, DateTimeOffset.UtcNow));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await service.PublishAsync(new LearnerRegistered(subjectId, "Early Person", email, null, DateTimeOffset.UtcNow));

        await NotificationsService.EventuallyAsync(
            () => Task.FromResult(service.Mailbox.To(email).Any(m => (m.Subject ?? "").Contains("Early Bird Course", StringComparison.Ordinal))),
            "the confirmation once the recipient is known");
    }

    [Fact]
    public async Task The_welcome_is_in_the_recipients_language_and_their_name_is_text_not_markup_in_the_HTML_part()
    {
        var person = await service.RegisterAsync(marketing: false, language: "de-CH", name: "<b>Ann</b>");

        var welcome = service.Mailbox.To(person.Email).Single();
        welcome.Subject.ShouldStartWith("Willkommen bei Certometer");
        (welcome.HtmlBody ?? "").ShouldContain("&lt;b&gt;Ann&lt;/b&gt;");
        (welcome.HtmlBody ?? "").ShouldNotContain("<b>Ann</b>");
        (welcome.TextBody ?? "").ShouldContain("<b>Ann</b>", customMessage: "plain text carries the name as written");
    }

    [Fact]
    public async Task After_rectification_messages_go_to_the_new_address()
    {
        var person = await service.RegisterAsync(marketing: false);
        var newAddress = $"new.{person.Email}";
        await service.PublishAsync(new SubjectDataRectified(person.SubjectId, new Dictionary<string, string?> { ["email"] = newAddress }, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.Recipients.AnyAsync(r => r.SubjectId == person.SubjectId && r.Email == newAddress, TestContext.Current.CancellationToken)),
            "the rectified address recorded");

        await service.PublishAsync(new CertificateIssued(Guid.NewGuid(), person.SubjectId, Guid.NewGuid(), "Cloud Security", "CODE-123", DateTimeOffset.UtcNow));

        await NotificationsService.EventuallyAsync(() => Task.FromResult(service.Mailbox.To(newAddress).Count == 1), "the certificate email at the new address");
        service.Mailbox.To(newAddress).Single().TextBody!.ShouldContain("CODE-123");
        service.Mailbox.To(person.Email).ShouldNotContain(m => (m.Subject ?? "").Contains("Cloud Security", StringComparison.Ordinal));
    }
}
