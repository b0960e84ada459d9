using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Messaging.Tests;

public sealed class InboxTests(SharedInfrastructure infrastructure)
{
    [Fact]
    public async Task Same_message_delivered_three_times_concurrently_has_exactly_one_effect()
    {
        // Each effect holds its transaction open long enough that all three deliveries are in flight together.
        var deliveries = new DeliveryLog { EffectDuration = TimeSpan.FromMilliseconds(500) };
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("inbox");
        await using var applier = await ServiceHost.StartApplierAsync(infrastructure, brokerAddress, deliveries);

        var bus = applier.Services.GetRequiredService<IBus>();
        var messageId = Guid.NewGuid();
        var deposit = new DepositRecorded(Guid.NewGuid(), 40m);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            bus.Publish(deposit, context => context.MessageId = messageId, TestContext.Current.CancellationToken)));

        await Eventually.HoldsAsync(() => Task.FromResult(deliveries.DeliveredMessageIds.Count == 3), "all three copies are delivered", cancellationToken: TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(
            async () => (await applier.AppliedDepositIdsAsync()).Count == 1,
            "the first delivery's effect is committed", cancellationToken: TestContext.Current.CancellationToken);
        // The duplicates wait on the first delivery's inbox row and then back off; give them time to (wrongly) apply.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        (await applier.AppliedDepositIdsAsync()).ShouldBe([deposit.DepositId], deliveries.ToString());
        (await applier.QueryAsync(db => db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM inbox_messages").SingleAsync()))
            .ShouldBe(1);
    }

    [Fact]
    public async Task Message_whose_consumer_keeps_failing_is_kept_in_the_error_queue_with_no_effect()
    {
        var serviceName = SharedInfrastructure.UniqueServiceName("applier");
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("inbox");
        await using var applier = await ServiceHost.StartAsync(
            serviceName,
            await infrastructure.Postgres.CreateDatabaseAsync("applier"),
            brokerAddress,
            bus => bus.AddConsumer<AlwaysFailingDepositConsumer>());

        await applier.Services.GetRequiredService<IBus>()
            .Publish(new DepositRecorded(Guid.NewGuid(), 13m), TestContext.Current.CancellationToken);

        IReadOnlyDictionary<string, long> queues = new Dictionary<string, long>();
        await Eventually.HoldsAsync(
            async () =>
            {
                queues = await infrastructure.Broker.QueueDepthsAsync(brokerAddress);
                return queues.Any(queue => queue.Key.EndsWith("_error", StringComparison.Ordinal) && queue.Value == 1);
            },
            "the failed message is in an _error queue", cancellationToken: TestContext.Current.CancellationToken);

        var errorQueue = queues.Single(queue => queue.Key.EndsWith("_error", StringComparison.Ordinal)).Key;
        errorQueue.ShouldStartWith(serviceName);
        errorQueue.ShouldContain("always-failing-deposit");
        (await applier.AppliedDepositIdsAsync()).ShouldBeEmpty();
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
