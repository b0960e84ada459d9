using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Notifications.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Tests;

public sealed class EmailChangeEmailTests(NotificationsService service)
{
    private const string ConfirmationSubject = "Confirm your new email address for Certometer";
    private const string NoticeSubject = "Someone asked to change the email address of your Certometer account";

    [Fact]
    public async Task The_link_goes_to_the_new_address_the_notice_to_the_current_one_even_under_restriction_and_the_log_keeps_neither_link()
    {
        var person = await service.RegisterAsync(marketing: false);
        await service.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), person.SubjectId, DateTimeOffset.UtcNow));
        var newEmail = $"moved.{Guid.NewGuid():N}@example.test";
        var confirm = $"http://identity.test/account/confirm-email?account={person.SubjectId}&token=confirm-{Guid.NewGuid():N}";
        var cancel = $"http://identity.test/account/cancel-email-change?account={person.SubjectId}&token=cancel-{Guid.NewGuid():N}";
        var requested = new EmailChangeRequested(person.SubjectId, newEmail, confirm, cancel, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow);

        // Twice, as a broker may redeliver: each address gets its message once.
        await service.PublishAsync(requested);
        await service.DeliverAsync(requested);

        await NotificationsService.EventuallyAsync(
            () => Task.FromResult(service.Mailbox.To(newEmail).Any() && service.Mailbox.To(person.Email).Any(m => m.Subject == NoticeSubject)),
            "the link and the notice");
        var link = service.Mailbox.To(newEmail).ShouldHaveSingleItem();
        link.Subject.ShouldBe(ConfirmationSubject);
        link.TextBody!.ShouldContain(confirm);
        link.TextBody!.ShouldNotContain(cancel);
        var notice = service.Mailbox.To(person.Email).Where(m => m.Subject == NoticeSubject).ShouldHaveSingleItem();
        notice.TextBody!.ShouldContain(newEmail);
        notice.TextBody!.ShouldContain(cancel);
        notice.TextBody!.ShouldNotContain(confirm, customMessage: "the current address can stop the change, not make it");

        await NotificationsService.EventuallyAsync(
            () => service.QueryAsync(db => db.Messages.AllAsync(
                m => m.SubjectId != person.SubjectId || m.Status == DeliveryStatus.Sent, TestContext.Current.CancellationToken)),
            "every message marked sent");
        foreach (var secret in new[] { confirm, cancel })
        {
            (await service.QueryAsync(db => db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outgoing_messages m WHERE row_to_json(m)::text LIKE {"%" + secret + "%"}")
                .SingleAsync(TestContext.Current.CancellationToken))).ShouldBe(0, "a link in the delivery log would make or stop the change for whoever reads it");
        }
    }

    [Fact]
    public async Task A_request_that_arrives_after_its_link_expired_still_tells_the_current_address_but_sends_no_link()
    {
        var person = await service.RegisterAsync(marketing: false);
        var newEmail = $"late.{Guid.NewGuid():N}@example.test";

        await service.DeliverAsync(new EmailChangeRequested(
            person.SubjectId, newEmail, "http://identity.test/confirm", "http://identity.test/cancel", DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(-1)));

        await NotificationsService.EventuallyAsync(
            () => Task.FromResult(service.Mailbox.To(person.Email).Any(m => m.Subject == NoticeSubject)), "the notice");
        (await service.QueryAsync(db => db.Messages.AnyAsync(m => m.ToAddress == newEmail, TestContext.Current.CancellationToken))).ShouldBeFalse();
        service.Mailbox.To(newEmail).ShouldBeEmpty();
    }
}
