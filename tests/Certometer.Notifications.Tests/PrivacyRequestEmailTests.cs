using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

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

    [Fact]
    public async Task A_withdrawn_request_is_confirmed_once_with_a_warning_for_a_subject_who_did_not_withdraw_it()
    {
        var person = await service.RegisterAsync(marketing: false, language: "de");
        var cancelled = new PrivacyRequestCancelled(
            Guid.NewGuid(), person.SubjectId, PrivacyRequestKind.Erasure, new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

        await service.PublishAsync(cancelled);
        await service.PublishAsync(cancelled);

        var email = await SingleAsync(person, "Ihre Datenschutzanfrage wurde zurückgezogen");
        email.TextBody!.ShouldContain("die Löschung Ihrer Daten");
        email.TextBody!.ShouldContain("2026-12-02");
        email.TextBody!.ShouldContain("ändern Sie Ihr Passwort");
    }

    [Fact]
    public async Task A_completed_access_request_tells_the_subject_to_sign_in_before_the_package_expires_and_reports_the_delivery()
    {
        var person = await service.RegisterAsync(marketing: false);
        var requestId = Guid.NewGuid();
        var expires = new DateTimeOffset(2026, 12, 9, 10, 0, 0, TimeSpan.Zero);

        await service.PublishAsync(new PrivacyRequestCompleted(
            requestId, person.SubjectId, PrivacyRequestKind.Access, DateTimeOffset.UtcNow, ContactEmail: null, PreferredLanguage: null, expires));

        var email = await SingleAsync(person, "Your privacy request is complete");
        email.TextBody!.ShouldContain("Sign in to Certometer to download it");
        email.TextBody!.ShouldContain("2026-12-09");
        email.HtmlBody!.ShouldContain("2026-12-09");
        var delivered = await DeliveredAsync(requestId);
        delivered.Notice.ShouldBe(PrivacyNotice.RequestCompleted);
    }

    [Fact]
    public async Task A_completed_erasure_is_told_to_the_kept_address_in_the_subjects_language_and_leaves_neither_address_nor_subject_at_rest()
    {
        var person = await service.RegisterAsync(marketing: false, language: "de");
        var erasureId = Guid.NewGuid();
        await service.PublishAsync(new SubjectErasureRequested(erasureId, person.SubjectId, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => db.Recipients.AnyAsync(r => r.SubjectId == person.SubjectId, TestContext.Current.CancellationToken)) == false,
            "Notifications erased the subject");

        await service.PublishAsync(new PrivacyRequestCompleted(
            erasureId, person.SubjectId, PrivacyRequestKind.Erasure, DateTimeOffset.UtcNow, person.Email, "de", PackageAvailableUntil: null));

        var email = await SingleAsync(person, "Ihre Datenschutzanfrage ist erledigt");
        email.TextBody!.ShouldContain("in allen Certometer-Diensten gelöscht");
        email.TextBody!.ShouldNotContain(person.Name);
        (await DeliveredAsync(erasureId)).Notice.ShouldBe(PrivacyNotice.RequestCompleted);

        var scan = await DatabaseScan.ReadAsync(
            await service.QueryAsync(db => Task.FromResult(db.Database.GetConnectionString()!)), TestContext.Current.CancellationToken);
        scan.Columns.ShouldContain("outgoing_messages.to_address", "the scan must see the delivery log it is meant to prove clean");
        scan.ColumnsContaining(person.Email, StringComparison.OrdinalIgnoreCase).ShouldBeEmpty();
        scan.ColumnsContaining(person.SubjectId.ToString(), StringComparison.OrdinalIgnoreCase).ShouldBeEmpty();
        scan.ColumnsContaining(person.Name, StringComparison.Ordinal).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_completion_message_the_mail_server_never_took_is_reported_failed_once_retries_run_out_never_delivered_and_names_no_address()
    {
        var requestId = Guid.NewGuid();
        const string address = "no address at all";

        // An address no relay takes: every attempt fails before the mail server could accept anything.
        await service.PublishAsync(new PrivacyRequestCompleted(
            requestId, Guid.NewGuid(), PrivacyRequestKind.Erasure, DateTimeOffset.UtcNow, address, "en", PackageAvailableUntil: null));
        await NotificationsService.EventuallyAsync(
            () => service.QueryAsync(db => db.Messages.AnyAsync(
                m => m.PrivacyRequestId == requestId && m.Attempts > 0 && m.LastError != null, TestContext.Current.CancellationToken)),
            "a failed delivery attempt");
        (await service.QueryAsync(db => db.StagedEventsAsync<PrivacyNoticeFailed>(TestContext.Current.CancellationToken)))
            .ShouldNotContain(f => f.RequestId == requestId, "one failed attempt is not the end: the sender backs off and tries again");

        // Skip the back-off: the next attempt is the last one the settings allow (Smtp:MaxAttempts, 8 by default).
        await service.QueryAsync(db => db.Messages.Where(m => m.PrivacyRequestId == requestId)
            .ExecuteUpdateAsync(
                update => update.SetProperty(m => m.Attempts, 7).SetProperty(m => m.NextAttemptAt, DateTimeOffset.UtcNow),
                TestContext.Current.CancellationToken));

        var failed = await Eventually.ValueAsync(
            async () => (await service.QueryAsync(db => db.StagedEventsAsync<PrivacyNoticeFailed>(TestContext.Current.CancellationToken)))
                .SingleOrDefault(f => f.RequestId == requestId),
            "the notice reported failed",
            TimeSpan.FromSeconds(20),
            TestContext.Current.CancellationToken);
        failed.Notice.ShouldBe(PrivacyNotice.RequestCompleted);
        failed.Reason.ShouldNotContain(address);
        (await service.QueryAsync(db => db.StagedEventsAsync<PrivacyNoticeDelivered>(TestContext.Current.CancellationToken)))
            .ShouldNotContain(d => d.RequestId == requestId);
    }

    [Fact]
    public async Task A_restricted_subject_is_told_before_the_restriction_is_lifted_and_the_delivery_is_reported()
    {
        var person = await service.RegisterAsync(marketing: false);
        await service.PublishAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), person.SubjectId, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            () => service.QueryAsync(db => db.SubjectSettings.AnyAsync(s => s.SubjectId == person.SubjectId && s.Restricted, TestContext.Current.CancellationToken)),
            "the restriction recorded");
        var requestId = Guid.NewGuid();
        var approved = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

        await service.PublishAsync(new PrivacyRequestApproved(requestId, person.SubjectId, PrivacyRequestKind.RestrictionLift, approved, approved.AddMonths(1)));

        var email = await SingleAsync(person, "The restriction of your data is about to be lifted");
        email.TextBody!.ShouldContain("2026-11-26");
        email.TextBody!.ShouldContain(person.Name);
        (await DeliveredAsync(requestId)).Notice.ShouldBe(PrivacyNotice.RestrictionLifting);
    }

    [Fact]
    public async Task Approval_of_any_other_request_sends_nothing_and_reports_no_delivery()
    {
        var person = await service.RegisterAsync(marketing: false);
        var other = Guid.NewGuid();
        var lift = Guid.NewGuid();

        var otherMessage = Guid.NewGuid();
        await service.PublishAsync(
            new PrivacyRequestApproved(other, person.SubjectId, PrivacyRequestKind.Access, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMonths(1)), otherMessage);
        await service.PublishAsync(new PrivacyRequestApproved(lift, person.SubjectId, PrivacyRequestKind.RestrictionLift, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMonths(1)));

        await NotificationsService.EventuallyAsync(
            () => service.QueryAsync(db => db.Set<Certometer.Messaging.Inbox.InboxMessage>().AnyAsync(m => m.MessageId == otherMessage, TestContext.Current.CancellationToken)),
            "the other approval handled");
        await DeliveredAsync(lift);
        service.Mailbox.To(person.Email).Select(m => m.Subject).ShouldBe(["Welcome to Certometer", "The restriction of your data is about to be lifted"], ignoreOrder: true);
        (await service.QueryAsync(db => db.StagedEventsAsync<PrivacyNoticeDelivered>(TestContext.Current.CancellationToken)))
            .ShouldNotContain(d => d.RequestId == other);
    }

    private Task<PrivacyNoticeDelivered> DeliveredAsync(Guid requestId) =>
        Eventually.ValueAsync(
            async () => (await service.QueryAsync(db => db.StagedEventsAsync<PrivacyNoticeDelivered>(TestContext.Current.CancellationToken)))
                .SingleOrDefault(d => d.RequestId == requestId),
            $"the delivery of the notice about {requestId} reported",
            TimeSpan.FromSeconds(20),
            TestContext.Current.CancellationToken);

    private async Task<MimeKit.MimeMessage> SingleAsync(Person person, string subject)
    {
        await NotificationsService.EventuallyAsync(() => Task.FromResult(service.Mailbox.To(person.Email).Any(m => m.Subject == subject)), subject);
        // Both deliveries (where a test sends two) are consumed well within a second; give the second time to arrive.
        await Task.Delay(500, TestContext.Current.CancellationToken);
        return service.Mailbox.To(person.Email).Single(m => m.Subject == subject);
    }
}
