using Certometer.Contracts.Privacy;

namespace Certometer.Notifications.Tests;

public sealed class PrivacyRequestEmailTests(NotificationsService service)
{
    [Fact]
    public async Task A_received_request_is_confirmed_with_its_deadline_even_to_a_subject_under_restriction()
    {
        var person = await service.RegisterAsync(marketing: false);
        await service.PublishAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), person.SubjectId, DateTimeOffset.UtcNow));
        var received = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        await service.PublishAsync(new PrivacyRequestReceived(Guid.NewGuid(), person.SubjectId, PrivacyRequestKind.Erasure, received, received.AddMonths(1)));

        var email = await SingleAsync(person, "We received your privacy request");
        email.TextBody!.ShouldContain("the erasure of your data");
        email.TextBody!.ShouldContain("2026-12-25");
    }

    [Fact]
    public async Task An_extension_tells_the_subject_the_new_deadline_and_the_reason_in_their_language()
    {
        var person = await service.RegisterAsync(marketing: false, language: "de");
        var previous = new DateTimeOffset(2026, 12, 25, 10, 0, 0, TimeSpan.Zero);

        await service.PublishAsync(new PrivacyRequestExtended(
            Guid.NewGuid(), person.SubjectId, PrivacyRequestKind.Access, "Many services hold your data.", previous, previous.AddMonths(2), DateTimeOffset.UtcNow));

        var email = await SingleAsync(person, "Wir brauchen mehr Zeit für Ihre Datenschutzanfrage");
        email.TextBody!.ShouldContain("eine Kopie Ihrer Daten");
        email.TextBody!.ShouldContain("2027-02-25");
        email.TextBody!.ShouldContain("Many services hold your data.");
    }

    [Fact]
    public async Task A_denial_gives_the_reason_and_where_to_complain_once_however_often_it_arrives()
    {
        var person = await service.RegisterAsync(marketing: false);
        var denied = new PrivacyRequestDenied(Guid.NewGuid(), person.SubjectId, PrivacyRequestKind.Portability, "Identity not verified.", DateTimeOffset.UtcNow);

        await service.PublishAsync(denied);
        await service.PublishAsync(denied);

        var email = await SingleAsync(person, "Your privacy request was declined");
        email.TextBody!.ShouldContain("Identity not verified.");
        email.TextBody!.ShouldContain("supervisory authority");
    }

    private async Task<MimeKit.MimeMessage> SingleAsync(Person person, string subject)
    {
        await NotificationsService.EventuallyAsync(() => Task.FromResult(service.Mailbox.To(person.Email).Any(m => m.Subject == subject)), subject);
        // Both deliveries (where a test sends two) are consumed well within a second; give the second time to arrive.
        await Task.Delay(500, TestContext.Current.CancellationToken);
        return service.Mailbox.To(person.Email).Single(m => m.Subject == subject);
    }
}
