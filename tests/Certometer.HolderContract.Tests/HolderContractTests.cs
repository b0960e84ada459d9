using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.HolderContract.Tests;

public sealed class HolderContractTests(SharedInfrastructure infrastructure)
{
    [Fact]
    public async Task Erasure_request_delivered_twice_erases_once_and_answers_with_one_receipt_counting_the_rows()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subjectId = await holder.AddNotesAsync(3);
        var otherSubject = await holder.AddNotesAsync(2);
        var request = new SubjectErasureRequested(Guid.NewGuid(), subjectId, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        var bus = holder.Services.GetRequiredService<IBus>();
        await bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        await bus.Publish(request, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

        var receipt = await Eventually(() => Answers.Receipts.FirstOrDefault(r => r.RequestId == request.RequestId));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Answers.Receipts.Count(r => r.RequestId == request.RequestId).ShouldBe(1);
        receipt.Service.ShouldBe(holder.Inventory.Service);
        receipt.Receipt.Lines.ShouldBe(
        [
            new ErasureReceiptLine("notes", ErasureAction.Erase, 3),
            // Every holder's delivered events are its own copies too; this one published none naming the subject.
            new ErasureReceiptLine("sent-event-copies", ErasureAction.Erase, 0),
            // And every holder parks the messages it failed on; none named this subject.
            new ErasureReceiptLine("dead-letters", ErasureAction.Erase, 0),
        ]);
        (await holder.NoteCountAsync(subjectId)).ShouldBe(0);
        (await holder.NoteCountAsync(otherSubject)).ShouldBe(2);
    }

    [Fact]
    public async Task Asked_again_about_the_same_request_the_holder_neither_erases_again_nor_sends_a_second_receipt_and_ignores_asks_meant_for_others()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subjectId = await holder.AddNotesAsync(3);
        var bus = holder.Services.GetRequiredService<IBus>();
        var forOthers = new SubjectErasureRequested(Guid.NewGuid(), subjectId, DateTimeOffset.UtcNow, ["some-other-holder"]);
        var request = forOthers with { Holders = null };

        // A repeated ask for other holders arriving first must not count as this holder's answer to the request.
        await bus.Publish(forOthers, TestContext.Current.CancellationToken);
        await bus.Publish(request, TestContext.Current.CancellationToken);
        var receipt = await Eventually(() => Answers.Receipts.FirstOrDefault(r => r.RequestId == request.RequestId));
        await holder.AddNotesAsync(1, subjectId);
        // PrivacyRights asking again, as a new message, because the first receipt seemed late.
        await bus.Publish(request with { Holders = [holder.Inventory.Service] }, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        receipt.Receipt.Lines.First(l => l.Category == "notes").Rows.ShouldBe(3);
        Answers.Receipts.Count(r => r.RequestId == request.RequestId).ShouldBe(1, "the first receipt is the only one");
        (await holder.NoteCountAsync(subjectId)).ShouldBe(1, "the repeated ask did not erase a second time");
    }

    [Fact]
    public async Task An_event_naming_the_subject_still_unsent_at_the_erasure_is_delivered_and_then_emptied_without_holding_up_the_answer()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        var subjectId = await holder.AddNotesAsync(1);
        // Still in the outbox when the request arrives: deleting it would starve its consumers, keeping it would leave a copy.
        var unsent = await holder.StageEventNamingAsync(subjectId, TimeSpan.FromSeconds(3));
        var request = new SubjectErasureRequested(Guid.NewGuid(), subjectId, DateTimeOffset.UtcNow);

        await holder.Services.GetRequiredService<IBus>().Publish(request, TestContext.Current.CancellationToken);

        var receipt = await Eventually(() => Answers.Receipts.FirstOrDefault(r => r.RequestId == request.RequestId));
        receipt.Receipt.Lines.ShouldContain(new ErasureReceiptLine("sent-event-copies", ErasureAction.Erase, 1));
        (await holder.OutboxRowsNamingAsync(subjectId)).ShouldBe(1, "the answer does not wait for the event to go out");
        (await holder.NoteCountAsync(subjectId)).ShouldBe(0);

        await holder.Consumed.WaitAsync(unsent, 1, TestContext.Current.CancellationToken);
        await Certometer.TestInfrastructure.Eventually.HoldsAsync(
            async () => await holder.OutboxRowsNamingAsync(subjectId) == 0, "the delivered event's payload is emptied",
            cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Receipt_that_keeps_data_without_a_legal_basis_is_never_sent_and_the_erasure_rolls_back()
    {
        await using var holder = await HolderService.StartAsync(infrastructure, keepWithoutLegalBasis: true);
        var subjectId = await holder.AddNotesAsync(2);
        var request = new SubjectErasureRequested(Guid.NewGuid(), subjectId, DateTimeOffset.UtcNow);

        await holder.Services.GetRequiredService<IBus>().Publish(request, TestContext.Current.CancellationToken);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        IReadOnlyDictionary<string, long> queues;
        while (!(queues = await infrastructure.Broker.QueueDepthsAsync(holder.BrokerAddress))
                   .Any(queue => queue.Key.Contains("subject-erasure-requested", StringComparison.Ordinal)
                                 && queue.Key.EndsWith("_error", StringComparison.Ordinal) && queue.Value == 1))
        {
            DateTimeOffset.UtcNow.ShouldBeLessThan(
                deadline, $"the refused request never reached the holder's _error queue; queues: {string.Join(", ", queues)}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Answers.Receipts.ShouldNotContain(r => r.RequestId == request.RequestId);
        (await holder.NoteCountAsync(subjectId)).ShouldBe(2);
    }

    [Fact]
    public async Task Holder_declares_its_inventory_again_when_PrivacyRights_asks()
    {
        await using var holder = await HolderService.StartAsync(infrastructure);
        await Eventually(() => Answers.Declarations.FirstOrDefault(d => d.Service == holder.Inventory.Service));
        var asked = DateTimeOffset.UtcNow;

        await holder.Services.GetRequiredService<IBus>()
            .Publish(new PersonalDataInventoryRequested(asked), TestContext.Current.CancellationToken);

        var redeclared = await Eventually(() =>
            Answers.Declarations.FirstOrDefault(d => d.Service == holder.Inventory.Service && d.DeclaredAt >= asked));
        redeclared.Categories.Select(c => c.Name).ShouldBe(["notes", "sent-event-copies", "dead-letters", "erasure-tombstones"]);
    }

    private static async Task<T> Eventually<T>(Func<T?> probe)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"No {typeof(T).Name} arrived within 30 s.");
    }
}
