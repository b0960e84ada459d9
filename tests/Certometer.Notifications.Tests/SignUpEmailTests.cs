using Certometer.Contracts.Identity;
using Certometer.Notifications.Delivery;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Tests;

public sealed class SignUpEmailTests(NotificationsService service)
{
    private const string NoticeSubject = "Someone tried to sign up with your Certometer address";

    [Fact]
    public async Task The_sign_up_link_goes_once_to_the_address_given_and_the_log_keeps_neither_the_link_nor_the_address()
    {
        var waitingAccount = Guid.NewGuid();
        var email = $"newcomer.{waitingAccount:N}@example.test";
        var link = $"http://identity.test/account/confirm-email?account={waitingAccount}&token=signup-{Guid.NewGuid():N}";
        var requested = new SignUpConfirmationRequested(waitingAccount, email, "de", link, DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow);

        // Twice, as a broker may redeliver.
        await service.PublishAsync(requested);
        await service.DeliverAsync(requested);

        await NotificationsService.EventuallyAsync(() => Task.FromResult(service.Mailbox.To(email).Any()), "the link");
        var sent = service.Mailbox.To(email).ShouldHaveSingleItem();
        sent.Subject.ShouldBe("Bestätigen Sie Ihre E-Mail-Adresse für Certometer", "in the language given at sign-up");
        sent.TextBody!.ShouldContain(link);

        // Until the link is opened nobody here knows the person: once delivery is over, no table holds their address or link.
        await NotificationsService.EventuallyAsync(
            () => service.QueryAsync(db => db.Messages.AnyAsync(
                m => m.Kind == MessageKind.SignUpConfirmation && m.Status == DeliveryStatus.Sent && m.SentAt > requested.RequestedAt.AddSeconds(-5), TestContext.Current.CancellationToken)),
            "the message marked sent");
        var connectionString = await service.QueryAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        await NotificationsService.EventuallyAsync(
            async () =>
            {
                var scan = await DatabaseScan.ReadAsync(connectionString, TestContext.Current.CancellationToken);
                return new[] { email, link, waitingAccount.ToString() }.All(value => scan.ColumnsContaining(value, StringComparison.OrdinalIgnoreCase).Count == 0);
            },
            "the delivery log forgot the address, the link and the account id");
    }

    [Fact]
    public async Task A_sign_up_with_a_registered_address_tells_its_owner_at_most_once_an_hour()
    {
        var person = await service.RegisterAsync(marketing: false);
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);

        foreach (var attemptedAt in new[] { hour.AddMinutes(1), hour.AddMinutes(30), hour.AddMinutes(59) })
        {
            await service.DeliverAsync(new SignUpAttemptedForExistingAccount(
                person.SubjectId, person.Email, person.Name, "en", "http://identity.test/account/login", attemptedAt));
        }

        await NotificationsService.EventuallyAsync(
            () => Task.FromResult(service.Mailbox.To(person.Email).Any(m => m.Subject == NoticeSubject)), "the notice");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var notice = service.Mailbox.To(person.Email).Where(m => m.Subject == NoticeSubject).ShouldHaveSingleItem();
        notice.TextBody!.ShouldContain("http://identity.test/account/login");
    }
}
