using Certometer.Contracts.Billing;
using Certometer.Contracts.Catalog;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Tests;

/// <summary>Once Notifications erased a person, no late event recreates their address, their settings or a message to them.</summary>
public sealed class ErasedRecipientTests(NotificationsService service)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> LateArrivals =>
    [
        "registration replayed", "enrollment", "invoice", "declined payment", "certificate", "consent", "objection", "rectification", "restriction",
        "sign-up with the address",
    ];

    [Theory]
    [MemberData(nameof(LateArrivals))]
    public async Task Whatever_arrives_after_the_erasure_leaves_none_of_the_person_s_values_and_sends_them_nothing(string arrival)
    {
        var person = await service.RegisterAsync(marketing: true);
        var erasureId = Guid.NewGuid();
        await service.DeliverAsync(new SubjectErasureRequested(erasureId, person.SubjectId, DateTimeOffset.UtcNow));
        await NotificationsService.EventuallyAsync(
            async () => !await service.QueryAsync(db => db.Recipients.AnyAsync(r => r.SubjectId == person.SubjectId, Cancel)), "the erasure");
        var mailsBefore = service.Mailbox.To(person.Email).Count;
        var subject = person.SubjectId;
        var now = DateTimeOffset.UtcNow;
        var lateAddress = $"late.{subject:N}@example.test";

        await (arrival switch
        {
            "registration replayed" => service.DeliverAsync(new LearnerRegistered(subject, person.Name, person.Email, "en", now)),
            "enrollment" => service.DeliverAsync(new EnrollmentCreated(Guid.NewGuid(), subject, Guid.NewGuid(), "Late Course", Guid.NewGuid(), now)),
            "invoice" => service.DeliverAsync(new InvoiceIssued(Guid.NewGuid(), Guid.NewGuid(), subject, "INV-LATE-1", 2500, "EUR", now)),
            "declined payment" => service.DeliverAsync(new PaymentDeclined(Guid.NewGuid(), subject, Guid.NewGuid(), "card_declined", now)),
            "certificate" => service.DeliverAsync(new CertificateIssued(Guid.NewGuid(), subject, Guid.NewGuid(), "Late Course", "LATE-CODE", now)),
            "consent" => service.DeliverAsync(new ConsentsInForce(subject, Marketing: true, Analytics: true, Sequence: 2, now)),
            "objection" => service.DeliverAsync(new SubjectObjectedToProcessing(Guid.NewGuid(), subject, ObjectionPurpose.Marketing, now)),
            "rectification" => service.DeliverAsync(new SubjectDataRectified(subject, new Dictionary<string, string?> { ["email"] = lateAddress }, now)),
            "restriction" => service.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), subject, now)),
            "sign-up with the address" => service.DeliverAsync(
                new SignUpAttemptedForExistingAccount(subject, person.Email, person.Name, "en", "http://identity.test/account/login", now)),
            _ => throw new ArgumentOutOfRangeException(nameof(arrival)),
        });

        var connectionString = await service.QueryAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var scan = await DatabaseScan.ReadAsync(connectionString, Cancel);
        scan.Columns.ShouldContain(column => column.StartsWith("recipients.", StringComparison.Ordinal), "the scan must see the tables it is meant to prove clean");
        foreach (var value in new[] { subject.ToString(), person.Email, person.Name, lateAddress })
        {
            scan.ColumnsContaining(value, StringComparison.OrdinalIgnoreCase).ShouldBeEmpty(value);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        service.Mailbox.To(person.Email).Count.ShouldBe(mailsBefore, "nothing is sent to an erased person because of a late event");
    }
}
