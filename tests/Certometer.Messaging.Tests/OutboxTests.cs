using System.Collections.Concurrent;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Messaging.Tests;

public sealed class OutboxTests(SharedInfrastructure infrastructure)
{
    [Fact]
    public async Task Event_committed_while_the_broker_is_stopped_is_delivered_once_the_broker_is_back()
    {
        var brokerPort = InfrastructureContainers.FreeTcpPort();
        await using var broker = InfrastructureContainers.RabbitMq(brokerPort);
        await broker.StartAsync(TestContext.Current.CancellationToken);
        var deliveries = new DeliveryLog();
        await using var applier = await ServiceHost.StartApplierAsync(infrastructure, broker.GetConnectionString(), deliveries);
        await using var depositor = await ServiceHost.StartAsync(
            SharedInfrastructure.UniqueServiceName("depositor"),
            await infrastructure.Postgres.CreateDatabaseAsync("depositor"),
            broker.GetConnectionString());

        await broker.StopAsync(TestContext.Current.CancellationToken);
        var depositId = await depositor.RecordDepositAsync(25m);

        await Eventually.HoldsAsync(
            () => depositor.QueryAsync(db => db.Set<OutboxMessage>().AnyAsync(m => m.SentAt == null && m.LastError != null)),
            "the dispatcher has tried and failed to publish while the broker is down", cancellationToken: TestContext.Current.CancellationToken);
        (await depositor.UnsentCountAsync()).ShouldBe(1);

        await broker.StartAsync(TestContext.Current.CancellationToken);

        await Eventually.HoldsAsync(
            async () => (await applier.AppliedDepositIdsAsync()).Count > 0 && await depositor.UnsentCountAsync() == 0,
            "the deposit is applied and the outbox row is marked sent",
            TimeSpan.FromSeconds(90), cancellationToken: TestContext.Current.CancellationToken);
        (await applier.AppliedDepositIdsAsync()).ShouldBe([depositId]);
    }

    [Fact]
    public async Task A_payload_marked_as_carrying_a_secret_is_emptied_of_its_values_and_the_ids_it_named_once_the_broker_confirmed_it_and_other_payloads_are_kept()
    {
        // A virtual host of its own: the other tests' deposits must not reach this applier.
        var broker = await infrastructure.Broker.CreateVirtualHostAsync("secrets");
        var deliveries = new DeliveryLog();
        await using var applier = await ServiceHost.StartApplierAsync(infrastructure, broker, deliveries);
        await using var secretive = await ServiceHost.StartAsync(
            SharedInfrastructure.UniqueServiceName("secretive"),
            await infrastructure.Postgres.CreateDatabaseAsync("secretive"),
            broker,
            messaging: builder => builder.ForgetPayloadOnceSent<DepositRecorded>());
        await using var plain = await ServiceHost.StartAsync(
            SharedInfrastructure.UniqueServiceName("plain"),
            await infrastructure.Postgres.CreateDatabaseAsync("plain"),
            broker);

        var secretDeposit = await secretive.RecordDepositAsync(31.41m);
        var plainDeposit = await plain.RecordDepositAsync(27.18m);

        await Eventually.HoldsAsync(
            async () => (await applier.AppliedDepositIdsAsync()).Count == 2 && await secretive.UnsentCountAsync() == 0 && await plain.UnsentCountAsync() == 0,
            "both deposits are applied and both outbox rows are marked sent",
            TimeSpan.FromSeconds(60), cancellationToken: TestContext.Current.CancellationToken);
        (await applier.AppliedDepositIdsAsync()).ShouldBe([secretDeposit, plainDeposit], ignoreOrder: true);
        var secretRow = await secretive.QueryAsync(db => db.Set<OutboxMessage>().SingleAsync());
        secretRow.Payload.ShouldBe("{}");
        secretRow.Mentions.ShouldBeEmpty("an emptied row must not go on naming whom it was about");
        var plainRow = await plain.QueryAsync(db => db.Set<OutboxMessage>().SingleAsync());
        plainRow.Payload.ShouldContain(plainDeposit.ToString());
        plainRow.Mentions.ShouldContain(plainDeposit);
    }

    [Fact]
    public async Task Rows_held_by_a_dispatcher_that_died_mid_publish_are_published_by_another_with_one_effect_each()
    {
        var database = await infrastructure.Postgres.CreateDatabaseAsync("depositor");
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("outbox");
        var deliveries = new DeliveryLog();
        await using var applier = await ServiceHost.StartApplierAsync(infrastructure, brokerAddress, deliveries);

        var shortLease = new Dictionary<string, string?>
        {
            ["Messaging:Outbox:LeaseDuration"] = "00:00:02",
            ["Messaging:Outbox:PublishTimeout"] = "00:10:00",
        };
        using var dying = new PublishThenFreeze();
        var depositorName = SharedInfrastructure.UniqueServiceName("depositor");
        await using var doomedInstance = await ServiceHost.StartAsync(
            depositorName,
            database,
            brokerAddress,
            services: services => services.AddSingleton<IOutboxPublisher>(provider =>
                dying.Wrapping(new MassTransitOutboxPublisher(provider.GetRequiredService<IBus>()))),
            settings: shortLease);

        // Five events in one commit, so the doomed dispatcher claims all of them in one batch.
        var depositIds = await doomedInstance.RecordDepositsInOneCommitAsync(5);

        // The doomed instance has put one message on the broker and will never mark any row sent or publish the other four.
        await dying.Frozen.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(async () => (await applier.AppliedDepositIdsAsync()).Count == 1, "the first deposit is applied", cancellationToken: TestContext.Current.CancellationToken);

        await using var survivor = await ServiceHost.StartAsync(
            depositorName, database, brokerAddress, settings: shortLease);

        await Eventually.HoldsAsync(
            async () => await survivor.UnsentCountAsync() == 0 && (await applier.AppliedDepositIdsAsync()).Count >= 5,
            "the surviving instance publishes every row once the dead instance's leases expire", cancellationToken: TestContext.Current.CancellationToken);
        // Let any stray duplicate arrive before counting effects.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        (await applier.AppliedDepositIdsAsync()).ShouldBe(depositIds, ignoreOrder: true);
        // The message the dead instance published reached the consumer twice; its inbox applied it once.
        deliveries.DeliveredMessageIds.Count.ShouldBe(6);
        deliveries.DeliveredMessageIds.Distinct().Count().ShouldBe(5);
    }

    [Fact]
    public async Task Two_dispatchers_draining_one_outbox_never_publish_the_same_row_twice()
    {
        const int rowCount = 300;
        var database = await infrastructure.Postgres.CreateDatabaseAsync("depositor");
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("outbox");
        var deliveries = new DeliveryLog();
        await using var applier = await ServiceHost.StartApplierAsync(infrastructure, brokerAddress, deliveries);

        await using (var db = new LedgerDbContext(new DbContextOptionsBuilder<LedgerDbContext>().UseServiceDatabase(database).Options))
        {
            await db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
            for (var i = 0; i < rowCount; i++)
            {
                var deposit = new Deposit { Id = Guid.NewGuid(), Amount = i };
                db.Deposits.Add(deposit);
                db.AddIntegrationEvent(new DepositRecorded(deposit.Id, deposit.Amount));
            }

            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var publishes = new ConcurrentDictionary<Guid, ConcurrentBag<string>>();
        var smallBatches = new Dictionary<string, string?> { ["Messaging:Outbox:BatchSize"] = "10" };
        var depositorName = SharedInfrastructure.UniqueServiceName("depositor");
        Task<ServiceHost> StartInstance(string instance) => ServiceHost.StartAsync(
            depositorName,
            database,
            brokerAddress,
            services: services => services.AddSingleton<IOutboxPublisher>(provider => new RecordingPublisher(
                new MassTransitOutboxPublisher(provider.GetRequiredService<IBus>()), instance, publishes)),
            settings: smallBatches);

        var instances = await Task.WhenAll(StartInstance("first"), StartInstance("second"));
        try
        {
            await Eventually.HoldsAsync(
                async () => await instances[0].UnsentCountAsync() == 0 && deliveries.DeliveredMessageIds.Count >= rowCount,
                "both instances drain the outbox and every event is delivered", cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }

        publishes.Count.ShouldBe(rowCount);
        publishes.Values.ShouldAllBe(publishers => publishers.Count == 1);
        var byInstance = publishes.Values.SelectMany(p => p).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        byInstance.Keys.ShouldBe(["first", "second"], ignoreOrder: true, "both dispatchers took part in draining the outbox");
        deliveries.DeliveredMessageIds.Count.ShouldBe(rowCount, deliveries.ToString());
        (await applier.AppliedDepositIdsAsync()).Count.ShouldBe(rowCount);
    }

    [Fact]
    public async Task The_rows_of_one_batch_wait_for_their_confirms_together_and_are_all_marked_sent()
    {
        const int rowCount = 20;
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("outbox");
        var deliveries = new DeliveryLog();
        await using var applier = await ServiceHost.StartApplierAsync(infrastructure, brokerAddress, deliveries);
        var slowConfirms = new SlowConfirmPublisher(TimeSpan.FromMilliseconds(200));
        await using var depositor = await ServiceHost.StartAsync(
            SharedInfrastructure.UniqueServiceName("depositor"),
            await infrastructure.Postgres.CreateDatabaseAsync("depositor"),
            brokerAddress,
            services: services => services.AddSingleton<IOutboxPublisher>(provider =>
                slowConfirms.Wrapping(new MassTransitOutboxPublisher(provider.GetRequiredService<IBus>()))));

        var depositIds = await depositor.RecordDepositsInOneCommitAsync(rowCount);

        await Eventually.HoldsAsync(
            async () => await depositor.UnsentCountAsync() == 0 && (await applier.AppliedDepositIdsAsync()).Count == rowCount,
            "every row is published, applied and marked sent", cancellationToken: TestContext.Current.CancellationToken);
        (await applier.AppliedDepositIdsAsync()).ShouldBe(depositIds, ignoreOrder: true);
        // One commit is one claimed batch: its publishes were in flight at the same time, not one confirm after another.
        slowConfirms.MostInFlight.ShouldBeGreaterThan(1);
        (await depositor.QueryAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.LeaseOwner != null || m.LastError != null))).ShouldBe(0);
    }

    [Fact]
    public async Task A_row_whose_publish_fails_is_retried_alone_while_the_rest_of_its_batch_is_marked_sent()
    {
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("outbox");
        var deliveries = new DeliveryLog();
        await using var applier = await ServiceHost.StartApplierAsync(infrastructure, brokerAddress, deliveries);
        var failOnce = new FailFirstPublishOf();
        await using var depositor = await ServiceHost.StartAsync(
            SharedInfrastructure.UniqueServiceName("depositor"),
            await infrastructure.Postgres.CreateDatabaseAsync("depositor"),
            brokerAddress,
            services: services => services.AddSingleton<IOutboxPublisher>(provider =>
                failOnce.Wrapping(new MassTransitOutboxPublisher(provider.GetRequiredService<IBus>()))),
            settings: new Dictionary<string, string?> { ["Messaging:Outbox:FirstRetryDelay"] = "00:00:03" });

        var depositIds = await depositor.RecordDepositsInOneCommitAsync(5);

        await Eventually.HoldsAsync(
            async () => (await applier.AppliedDepositIdsAsync()).Count == 4,
            "the four rows that published are applied", cancellationToken: TestContext.Current.CancellationToken);
        var failedRow = await depositor.QueryAsync(db => db.Set<OutboxMessage>().SingleAsync(m => m.SentAt == null));
        failedRow.Id.ShouldBe(failOnce.FailedMessageId!.Value);
        failedRow.LastError.ShouldNotBeNull().ShouldContain("broker refused");
        failedRow.LeaseOwner.ShouldBeNull();

        await Eventually.HoldsAsync(
            async () => await depositor.UnsentCountAsync() == 0 && (await applier.AppliedDepositIdsAsync()).Count == 5,
            "the failed row is published on its retry", cancellationToken: TestContext.Current.CancellationToken);
        (await applier.AppliedDepositIdsAsync()).ShouldBe(depositIds, ignoreOrder: true);
        deliveries.DeliveredMessageIds.Count.ShouldBe(5);
    }

    /// <summary>Publishes for real after a delay standing in for a slow confirm, and counts how many publishes were waiting at once.</summary>
    private sealed class SlowConfirmPublisher(TimeSpan confirmDelay)
    {
        private int _inFlight;
        private int _mostInFlight;

        public int MostInFlight => Volatile.Read(ref _mostInFlight);

        public IOutboxPublisher Wrapping(IOutboxPublisher inner) => new Publisher(inner, this, confirmDelay);

        private sealed class Publisher(IOutboxPublisher inner, SlowConfirmPublisher state, TimeSpan confirmDelay) : IOutboxPublisher
        {
            public async Task PublishAsync(Guid messageId, object message, Type messageType, CancellationToken cancellationToken)
            {
                var inFlight = Interlocked.Increment(ref state._inFlight);
                InterlockedMax(ref state._mostInFlight, inFlight);
                try
                {
                    await Task.Delay(confirmDelay, cancellationToken);
                    await inner.PublishAsync(messageId, message, messageType, cancellationToken);
                }
                finally
                {
                    Interlocked.Decrement(ref state._inFlight);
                }
            }

            private static void InterlockedMax(ref int target, int value)
            {
                var current = Volatile.Read(ref target);
                while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
                {
                    current = seen;
                }
            }
        }
    }

    /// <summary>Refuses the first publish it sees, as a broker refusing one message would, and passes every other through.</summary>
    private sealed class FailFirstPublishOf
    {
        private Guid? _failed;

        public Guid? FailedMessageId => _failed;

        public IOutboxPublisher Wrapping(IOutboxPublisher inner) => new Publisher(inner, this);

        private sealed class Publisher(IOutboxPublisher inner, FailFirstPublishOf state) : IOutboxPublisher
        {
            private readonly Lock _gate = new();

            public Task PublishAsync(Guid messageId, object message, Type messageType, CancellationToken cancellationToken)
            {
                lock (_gate)
                {
                    if (state._failed is null)
                    {
                        state._failed = messageId;
                        throw new InvalidOperationException("broker refused the message");
                    }
                }

                return inner.PublishAsync(messageId, message, messageType, cancellationToken);
            }
        }
    }

    /// <summary>Publishes its first message for real, then freezes like a process killed before it could mark the row sent.</summary>
    private sealed class PublishThenFreeze : IDisposable
    {
        private readonly SemaphoreSlim _frozen = new(0);
        private int _published;

        public SemaphoreSlim Frozen => _frozen;

        public void Dispose() => _frozen.Dispose();

        public IOutboxPublisher Wrapping(IOutboxPublisher inner) => new Publisher(inner, this);

        private sealed class Publisher(IOutboxPublisher inner, PublishThenFreeze state) : IOutboxPublisher
        {
            public async Task PublishAsync(Guid messageId, object message, Type messageType, CancellationToken cancellationToken)
            {
                if (Interlocked.Increment(ref state._published) == 1)
                {
                    await inner.PublishAsync(messageId, message, messageType, cancellationToken);
                }

                state._frozen.Release();
                // A killed process does nothing more: no mark, no retry, no release. Only the host's shutdown ends this.
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
    }

    /// <summary>Publishes for real and records which instance published which row, with a little latency so instances interleave.</summary>
    private sealed class RecordingPublisher(
        IOutboxPublisher inner, string instance, ConcurrentDictionary<Guid, ConcurrentBag<string>> publishes) : IOutboxPublisher
    {
        public async Task PublishAsync(Guid messageId, object message, Type messageType, CancellationToken cancellationToken)
        {
            publishes.GetOrAdd(messageId, _ => []).Add(instance);
            await Task.Delay(5, cancellationToken);
            await inner.PublishAsync(messageId, message, messageType, cancellationToken);
        }
    }
}
