using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract.Sealing;
using Certometer.Messaging.DeadLetters;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.HolderContract.Tests;

/// <summary>
/// The holder contract's crypto-shredding: personal values travel sealed under the subject's key, and once erasure
/// destroys that key no copy of them can be read or applied anywhere.
/// </summary>
public sealed class SealingTests(SharedInfrastructure infrastructure)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sealed_rectification_is_opened_for_the_holder_and_applied_in_the_clear()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = Guid.NewGuid();
        var name = $"Name {Guid.NewGuid():N}";
        var sealedRectification = await TestSubjectKeyring.Shared.SealAsync(Rectified(subject, name));
        sealedRectification.ChangedFields["name"]!.ShouldStartWith(SealedValues.Prefix);
        sealedRectification.ChangedFields["name"]!.ShouldNotContain(name);

        await holder.DeliverAsync(sealedRectification);

        await using var scope = holder.Services.CreateAsyncScope();
        var notes = await scope.ServiceProvider.GetRequiredService<HolderDbContext>().Notes.Where(n => n.SubjectId == subject).Select(n => n.Text).ToListAsync(Cancel);
        notes.ShouldBe([name]);
    }

    [Fact]
    public async Task A_sealed_event_arriving_after_the_subjects_key_was_destroyed_is_dropped_unread_and_leaves_no_trace()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subject = Guid.NewGuid();
        var name = $"Name {Guid.NewGuid():N}";
        var lateCopy = await TestSubjectKeyring.Shared.SealAsync(Rectified(subject, name));
        TestSubjectKeyring.Shared.Destroy(subject);
        var messageId = Guid.NewGuid();

        await holder.Services.GetRequiredService<IBus>().Publish(lateCopy, context => context.MessageId = messageId, Cancel);
        await holder.Consumed.WaitAsync(messageId, 1, Cancel);

        (await holder.NoteCountAsync(subject)).ShouldBe(0, "a copy nobody can read any more is not applied");
        (await holder.KeptTraceOfAsync(messageId)).ShouldBeFalse("it is acknowledged, neither parked nor retried: it can never be read again");
        (await DatabaseScan.ReadAsync(holder.Database, Cancel)).ColumnsContaining(name, StringComparison.Ordinal).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_value_sealed_for_one_subject_does_not_open_in_an_event_about_another_and_is_parked_still_sealed()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var (victim, attacker) = (Guid.NewGuid(), Guid.NewGuid());
        var name = $"Name {Guid.NewGuid():N}";
        var victimsValue = (await TestSubjectKeyring.Shared.SealAsync(Rectified(victim, name))).ChangedFields["name"];
        // The attacker's own key exists, so only the binding of the value to its subject can refuse it.
        await TestSubjectKeyring.Shared.SealAsync(Rectified(attacker, "anything"));
        var messageId = Guid.NewGuid();

        await holder.Services.GetRequiredService<IBus>().Publish(Rectified(attacker, victimsValue!), context => context.MessageId = messageId, Cancel);

        await Eventually.HoldsAsync(() => holder.KeptTraceOfAsync(messageId), "the message that does not open is parked as a dead letter", cancellationToken: Cancel);
        (await holder.NoteCountAsync(attacker)).ShouldBe(0);
        await using var scope = holder.Services.CreateAsyncScope();
        var parked = await scope.ServiceProvider.GetRequiredService<HolderDbContext>().Set<DeadLetter>().Where(d => d.MessageId == messageId).Select(d => d.Body).ToListAsync(Cancel);
        parked.ShouldNotBeEmpty();
        parked.ShouldAllBe(body => !body.Contains(name), "the dead letter keeps the value as it came: sealed");
    }

    [Fact]
    public async Task What_a_holder_publishes_reaches_the_broker_and_stays_in_its_outbox_with_every_personal_value_sealed()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var tap = await infrastructure.Broker.TapAsync<SubjectDataExported>(holder.BrokerAddress);
        var subject = Guid.NewGuid();
        var marker = $"exported-{subject:N}";
        await holder.DeliverAsync(await TestSubjectKeyring.Shared.SealAsync(Rectified(subject, marker)));

        await holder.DeliverAsync(new SubjectDataExportRequested(Guid.NewGuid(), subject, DateTimeOffset.UtcNow));

        var published = await Eventually.ValueAsync(
            async () => (await infrastructure.Broker.PeekAsync(holder.BrokerAddress, tap)).SingleOrDefault(), "the export part reaches the broker", cancellationToken: Cancel);
        published.ShouldContain(SealedValues.Prefix);
        published.ShouldNotContain(marker, customMessage: "the broker, and its disk, hold the part sealed");
        await Eventually.HoldsAsync(
            async () => (await holder.StagedPayloadsAsync<SubjectDataExported>()).SingleOrDefault()?.Contains(SealedValues.Prefix, StringComparison.Ordinal) == true,
            "the outbox row keeps the sealed payload it published in place of the plain one",
            cancellationToken: Cancel);
        (await DatabaseScan.ReadAsync(holder.Database, Cancel)).ColumnsContaining(marker, StringComparison.Ordinal)
            .ShouldNotContain("outbox_messages.payload");
        (await holder.StagedAsync<SubjectDataExported>()).Single().ContentJson.ShouldContain(marker, customMessage: "under the subject's key the part opens whole");
    }

    [Fact]
    public async Task An_event_still_unsent_when_the_subjects_key_is_destroyed_is_never_published_and_its_payload_is_emptied()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var tap = await infrastructure.Broker.TapAsync<SubjectDataRectified>(holder.BrokerAddress);
        var subject = Guid.NewGuid();
        await TestSubjectKeyring.Shared.SealAsync(Rectified(subject, "made the key"));
        await holder.StageEventNamingAsync(subject, TimeSpan.FromSeconds(2));

        TestSubjectKeyring.Shared.Destroy(subject);

        await Eventually.HoldsAsync(
            async () => (await holder.StagedPayloadsAsync<SubjectDataRectified>()).SingleOrDefault() == "{}",
            "the outbox closes the row, emptied",
            cancellationToken: Cancel);
        (await infrastructure.Broker.PeekAsync(holder.BrokerAddress, tap)).ShouldBeEmpty("nothing was published for a subject whose key is gone");
        (await holder.NoteCountAsync(subject)).ShouldBe(0);
    }

    private static SubjectDataRectified Rectified(Guid subject, string name) =>
        new(subject, new Dictionary<string, string?> { ["name"] = name }, DateTimeOffset.UtcNow);
}
