using Certometer.Contracts.Privacy;
using Certometer.Notifications.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Tests;

public sealed class PrivacyRequestVerificationEmailTests(NotificationsService service)
{
    [Fact]
    public async Task The_code_reaches_the_account_s_address_in_its_language_and_the_delivery_log_keeps_no_copy_of_it()
    {
        var person = await service.RegisterAsync(marketing: false, language: "de");
        var verificationId = Guid.NewGuid();
        const string code = "305817";
        var addressed = new PrivacyRequestVerificationCodeAddressed(
            verificationId, person.SubjectId, person.Email, person.Name, "de", PrivacyRequestKind.Erasure, code,
            new DateTimeOffset(2099, 1, 2, 3, 4, 0, TimeSpan.Zero));

        await service.PublishAsync(addressed);
        await service.PublishAsync(addressed);

        await NotificationsService.EventuallyAsync(
            () => Task.FromResult(service.Mailbox.To(person.Email).Any(m => m.Subject == "Ihre Datenschutzanfrage muss bestätigt werden")),
            "the verification email");
        var email = service.Mailbox.To(person.Email).Single(m => m.Subject == "Ihre Datenschutzanfrage muss bestätigt werden");
        email.TextBody!.ShouldContain(code);
        email.HtmlBody!.ShouldContain(code);
        email.TextBody!.ShouldContain("die Löschung Ihrer Daten");
        email.TextBody!.ShouldContain("2099-01-02 03:04 UTC");

        // Sent is recorded after the relay accepted it; from then on the code is gone from the log.
        await NotificationsService.EventuallyAsync(
            () => service.QueryAsync(db => db.Messages.AnyAsync(
                m => m.DeduplicationKey == $"privacy-verification:{verificationId}" && m.Status == DeliveryStatus.Sent, TestContext.Current.CancellationToken)),
            "the message marked sent");
        var log = await service.QueryAsync(db => db.Messages.AsNoTracking()
            .Where(m => m.DeduplicationKey == $"privacy-verification:{verificationId}").ToListAsync(TestContext.Current.CancellationToken));
        var logged = log.ShouldHaveSingleItem();
        logged.ToAddress.ShouldBe(person.Email);
        logged.TextBody.ShouldNotContain(code);
        logged.HtmlBody.ShouldNotContain(code);
        logged.Subject.ShouldNotContain(code);
        var rowsWithCode = await service.QueryAsync(db => db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outgoing_messages m WHERE row_to_json(m)::text LIKE {"%" + code + "%"}")
            .SingleAsync(TestContext.Current.CancellationToken));
        rowsWithCode.ShouldBe(0);
        service.Mailbox.To(person.Email).Count(m => m.Subject == "Ihre Datenschutzanfrage muss bestätigt werden").ShouldBe(1);
    }

    [Fact]
    public async Task A_code_that_arrives_after_it_expired_is_not_sent()
    {
        var person = await service.RegisterAsync(marketing: false);
        var verificationId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        await service.PublishAsync(
            new PrivacyRequestVerificationCodeAddressed(
                verificationId, person.SubjectId, person.Email, person.Name, null, PrivacyRequestKind.Access, "111222", DateTimeOffset.UtcNow.AddSeconds(-1)),
            messageId);

        await NotificationsService.EventuallyAsync(
            () => service.QueryAsync(async db => await db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM inbox_messages WHERE message_id = {messageId}")
                .SingleAsync(TestContext.Current.CancellationToken) == 1),
            "the expired code consumed");
        (await service.QueryAsync(db => db.Messages.AnyAsync(m => m.DeduplicationKey == $"privacy-verification:{verificationId}", TestContext.Current.CancellationToken)))
            .ShouldBeFalse();
    }
}
