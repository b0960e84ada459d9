using Certometer.Messaging.DeadLetters;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Messaging.Tests;

/// <summary>Messages that fail every retry: parked in the service's database, never whole in the broker.</summary>
public sealed class DeadLetterTests(SharedInfrastructure infrastructure)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Message_that_fails_every_retry_is_parked_in_the_database_with_no_effect_and_the_error_queue_holds_only_a_pointer()
    {
        var serviceName = SharedInfrastructure.UniqueServiceName("applier");
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("dead");
        await using var applier = await ServiceHost.StartAsync(
            serviceName, await infrastructure.Postgres.CreateDatabaseAsync("applier"), brokerAddress, bus => bus.AddConsumer<AlwaysFailingDepositConsumer>());
        var deposit = new DepositRecorded(Guid.NewGuid(), 13m);
        var messageId = Guid.NewGuid();

        await applier.Services.GetRequiredService<IBus>().Publish(deposit, context => context.MessageId = messageId, Cancel);

        var parked = await Eventually.ValueAsync(
            () => applier.QueryAsync(db => db.Set<DeadLetter>().SingleOrDefaultAsync(Cancel)), "the failed message is parked", cancellationToken: Cancel);
        parked.MessageId.ShouldBe(messageId);
        parked.Body.ShouldContain(deposit.DepositId.ToString(), customMessage: "the whole message is kept, so it can be replayed");
        parked.Reason.ShouldBe(nameof(InvalidOperationException), "the exception's type, never its message");
        parked.Queue.ShouldStartWith(serviceName);
        parked.Queue.ShouldContain("always-failing-deposit");
        parked.MessageType.ShouldContain("urn:message:Certometer.Messaging.Tests:DepositRecorded");

        var errorQueue = $"{parked.Queue}_error";
        var pointers = await Eventually.ValueAsync(
            async () => await infrastructure.Broker.PeekAsync(brokerAddress, errorQueue) is { Count: > 0 } bodies ? bodies : null,
            "the error queue gets a pointer", cancellationToken: Cancel);
        pointers.Count.ShouldBe(1);
        pointers[0].ShouldContain(parked.Id.ToString(), customMessage: "the pointer names the parked row");
        pointers[0].ShouldNotContain(deposit.DepositId.ToString(), customMessage: "the broker must not keep the message's content");
        (await applier.AppliedDepositIdsAsync()).ShouldBeEmpty("the failed consumer's effect was rolled back");
    }

    [Fact]
    public async Task Replayed_dead_letter_reaches_its_consumer_once_with_its_original_message_id_and_leaves_the_table()
    {
        var gate = new DepositGate();
        var deliveries = new DeliveryLog();
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("dead");
        await using var applier = await ServiceHost.StartAsync(
            SharedInfrastructure.UniqueServiceName("applier"),
            await infrastructure.Postgres.CreateDatabaseAsync("applier"),
            brokerAddress,
            bus =>
            {
                bus.AddConsumer<GatedDepositConsumer>();
                bus.AddConsumeObserver(_ => deliveries);
            },
            services => services.AddSingleton(gate),
            new Dictionary<string, string?> { ["Messaging:DeadLetterReplayInterval"] = "00:00:00.200" });
        var deposit = new DepositRecorded(Guid.NewGuid(), 21m);
        var messageId = Guid.NewGuid();
        await applier.Services.GetRequiredService<IBus>().Publish(deposit, context => context.MessageId = messageId, Cancel);
        var parked = await Eventually.ValueAsync(
            () => applier.QueryAsync(db => db.Set<DeadLetter>().SingleOrDefaultAsync(Cancel)), "the failed message is parked", cancellationToken: Cancel);

        gate.Open = true;
        (await applier.QueryAsync(db => ParkedDeadLetters.RequestReplayAsync(db, parked.Id, Cancel))).ShouldBeTrue();

        await Eventually.HoldsAsync(
            async () => (await applier.AppliedDepositIdsAsync()).Count == 1, "the replayed deposit is applied", cancellationToken: Cancel);
        (await applier.AppliedDepositIdsAsync()).ShouldBe([deposit.DepositId]);
        (await applier.QueryAsync(db => db.Set<DeadLetter>().CountAsync(Cancel))).ShouldBe(0, "a replayed dead letter is no longer parked");
        deliveries.DeliveredMessageIds.ShouldAllBe(id => id == messageId, "the replay keeps the message id, so the inbox still knows it");
        (await applier.QueryAsync(db => ParkedDeadLetters.RequestReplayAsync(db, parked.Id, Cancel)))
            .ShouldBeFalse("a dead letter that is gone cannot be replayed twice");
    }

    [Fact]
    public async Task Dead_letter_past_its_retention_is_deleted_and_its_pointer_on_the_error_queue_expires_with_it()
    {
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("dead");
        var serviceName = SharedInfrastructure.UniqueServiceName("applier");
        await using var applier = await ServiceHost.StartAsync(
            serviceName,
            await infrastructure.Postgres.CreateDatabaseAsync("applier"),
            brokerAddress,
            bus => bus.AddConsumer<AlwaysFailingDepositConsumer>(),
            settings: new Dictionary<string, string?>
            {
                ["Messaging:DeadLetterReplayInterval"] = "00:00:00.200",
                ["Messaging:DeadLetterRetention"] = "00:00:02",
            });
        await applier.Services.GetRequiredService<IBus>().Publish(new DepositRecorded(Guid.NewGuid(), 8m), Cancel);
        await Eventually.HoldsAsync(
            async () => await applier.QueryAsync(db => db.Set<DeadLetter>().AnyAsync(Cancel)), "the failed message is parked", cancellationToken: Cancel);

        var errorQueue = await Eventually.ValueAsync(
            async () => (await infrastructure.Broker.QueueDepthsAsync(brokerAddress)).Keys
                .SingleOrDefault(q => q.StartsWith(serviceName, StringComparison.Ordinal) && q.EndsWith("_error", StringComparison.Ordinal)),
            "the pointer reaches the error queue", cancellationToken: Cancel);

        await Eventually.HoldsAsync(
            async () => !await applier.QueryAsync(db => db.Set<DeadLetter>().AnyAsync(Cancel)), "the dead letter expires", cancellationToken: Cancel);
        await Eventually.HoldsAsync(
            async () => (await infrastructure.Broker.PeekAsync(brokerAddress, errorQueue)).Count == 0, "the pointer expires", cancellationToken: Cancel);
    }
}

/// <summary>Lets deposits through only once a test opens it: a failure that an operator fixes before replaying.</summary>
public sealed class DepositGate
{
    private volatile bool _open;

    public bool Open
    {
        get => _open;
        set => _open = value;
    }
}

public sealed class GatedDepositConsumer(LedgerDbContext db, DepositGate gate) : Inbox.IdempotentConsumer<DepositRecorded, LedgerDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<DepositRecorded> context, CancellationToken cancellationToken)
    {
        if (!gate.Open)
        {
            throw new InvalidOperationException("The ledger is closed.");
        }

        Db.AppliedDeposits.Add(new AppliedDeposit { Id = Guid.NewGuid(), DepositId = context.Message.DepositId });
        return Task.CompletedTask;
    }
}

/// <summary>Fails every time, after staging an effect that must be rolled back with the failure.</summary>
public sealed class AlwaysFailingDepositConsumer(LedgerDbContext db) : Inbox.IdempotentConsumer<DepositRecorded, LedgerDbContext>(db)
{
    protected override Task HandleOnceAsync(ConsumeContext<DepositRecorded> context, CancellationToken cancellationToken)
    {
        Db.AppliedDeposits.Add(new AppliedDeposit { Id = Guid.NewGuid(), DepositId = context.Message.DepositId });
        throw new InvalidOperationException("The ledger rejects this deposit.");
    }
}
