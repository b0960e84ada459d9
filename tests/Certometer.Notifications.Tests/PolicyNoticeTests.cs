using Certometer.Contracts.Privacy;
using Certometer.Notifications.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Tests;

/// <summary>A policy change notice goes to every recipient in the database, so its test runs alone, after the others.</summary>
[CollectionDefinition(nameof(PolicyNoticeTests), DisableParallelization = true)]
public sealed class PolicyNoticesRunAlone;

[Collection(nameof(PolicyNoticeTests))]
public sealed class PolicyNoticeTests(NotificationsService service)
{
    [Fact]
    public async Task Every_recipient_is_told_once_about_a_new_policy_in_their_language_even_when_the_event_arrives_twice()
    {
        var english = await service.RegisterAsync(marketing: false);
        var german = await service.RegisterAsync(marketing: false, language: "de");
        // Owed to everyone the policy binds: restriction stops marketing, not this.
        await service.PublishAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), german.SubjectId, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.SubjectSettings.AnyAsync(s => s.SubjectId == german.SubjectId && s.Restricted, TestContext.Current.CancellationToken)),
            "the restriction recorded");
        // More recipients than one batch (the fixture sets 3), so the run has to carry on across batches.
        var others = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => service.RegisterAsync(marketing: true)));
        var recipients = await service.QueryAsync(db => db.Recipients.CountAsync(TestContext.Current.CancellationToken));
        var version = $"2027-{Guid.NewGuid():N}"[..16];
        var policy = new PrivacyPolicyPublished(version, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), "We now name the payment gateway we use.", DateTimeOffset.UtcNow);

        // Redelivered under one message id, and published again under another.
        var messageId = Guid.NewGuid();
        await service.PublishAsync(policy, messageId);
        await service.PublishAsync(policy, messageId);
        await service.PublishAsync(policy, Guid.NewGuid());

        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.PolicyNoticeRuns.AnyAsync(r => r.Version == version && r.CompletedAt != null, TestContext.Current.CancellationToken)),
            "the notice run reached every recipient");
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.Messages
                .Where(m => m.Kind == MessageKind.PolicyChangeNotice)
                .AllAsync(m => m.Status != DeliveryStatus.Queued, TestContext.Current.CancellationToken)),
            "every queued policy notice handled");
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var notice = service.Mailbox.To(english.Email).Single(m => m.Subject == "Our privacy policy is changing");
        notice.TextBody!.ShouldContain(version);
        notice.TextBody!.ShouldContain("2027-01-01");
        notice.TextBody!.ShouldContain("We now name the payment gateway we use.");
        service.Mailbox.To(german.Email).Single(m => m.Subject == "Unsere Datenschutzerklärung ändert sich").TextBody!.ShouldContain(version);
        foreach (var person in others)
        {
            service.Mailbox.To(person.Email).Count(m => m.Subject == "Our privacy policy is changing" && m.TextBody!.Contains(version)).ShouldBe(1);
        }

        var queued = await service.QueryAsync(db => db.Messages
            .Where(m => m.Kind == MessageKind.PolicyChangeNotice && m.DeduplicationKey.StartsWith($"policy-notice:{version}:"))
            .GroupBy(m => m.SubjectId).Select(g => g.Count()).ToListAsync(TestContext.Current.CancellationToken));
        queued.Count.ShouldBe(recipients);
        queued.ShouldAllBe(count => count == 1);
        (await service.QueryAsync(db => db.PolicyNoticeRuns.SingleAsync(r => r.Version == version, TestContext.Current.CancellationToken)))
            .NoticesQueued.ShouldBe(recipients);
    }
}
