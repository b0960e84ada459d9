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
}
