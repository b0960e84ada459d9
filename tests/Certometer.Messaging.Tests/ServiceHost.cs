using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Certometer.Messaging.Tests;

/// <summary>One running instance of a service, wired exactly as a real service wires its messaging.</summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ServiceHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<ServiceHost> StartAsync(
        string serviceName,
        string databaseConnection,
        string brokerConnection,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IServiceCollection>? services = null,
        IDictionary<string, string?>? settings = null,
        bool waitForBus = true,
        Action<IHostApplicationBuilder>? messaging = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ledger"] = databaseConnection,
            ["ConnectionStrings:messaging"] = brokerConnection,
            ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
            ["Messaging:Outbox:FirstRetryDelay"] = "00:00:00.200",
            ["Messaging:Outbox:MaxRetryDelay"] = "00:00:01",
            ["Messaging:Outbox:PublishTimeout"] = "00:00:02",
            ["Messaging:RetryLimit"] = "2",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDatabase<LedgerDbContext>("ledger");
        builder.AddMessaging<LedgerDbContext>(serviceName, consumers);
        messaging?.Invoke(builder);
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = waitForBus);
        services?.Invoke(builder.Services);

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // The test model has no migrations; create its tables directly (idempotent for the second instance).
            await scope.ServiceProvider.GetRequiredService<LedgerDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        return new ServiceHost(host);
    }

    /// <summary>Starts an instance of the consuming side: it applies every <see cref="DepositRecorded"/> it receives.</summary>
    public static async Task<ServiceHost> StartApplierAsync(SharedInfrastructure infrastructure, string brokerAddress, DeliveryLog deliveries) =>
        await StartAsync(
            SharedInfrastructure.UniqueServiceName("applier"),
            await infrastructure.Postgres.CreateDatabaseAsync("applier"),
            brokerAddress,
            bus =>
            {
                bus.AddConsumer<DepositRecordedConsumer>();
                bus.AddConsumeObserver(_ => deliveries);
            },
            services => services.AddSingleton(deliveries));

    /// <summary>Records a deposit and stages its announcement in one transaction, as a real state change would.</summary>
    public async Task<Guid> RecordDepositAsync(decimal amount)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LedgerDbContext>();
        var deposit = new Deposit { Id = Guid.NewGuid(), Amount = amount };
        db.Deposits.Add(deposit);
        db.AddIntegrationEvent(new DepositRecorded(deposit.Id, amount));
        await db.SaveChangesAsync();
        return deposit.Id;
    }

    /// <summary>Several deposits and their announcements in one transaction, so one dispatcher pass claims them together.</summary>
    public async Task<List<Guid>> RecordDepositsInOneCommitAsync(int count)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LedgerDbContext>();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var deposit = new Deposit { Id = Guid.NewGuid(), Amount = i };
            ids.Add(deposit.Id);
            db.Deposits.Add(deposit);
            db.AddIntegrationEvent(new DepositRecorded(deposit.Id, deposit.Amount));
        }

        await db.SaveChangesAsync();
        return ids;
    }

    public async Task<T> QueryAsync<T>(Func<LedgerDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LedgerDbContext>());
    }

    public Task<int> UnsentCountAsync() => QueryAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null));

    public Task<List<Guid>> AppliedDepositIdsAsync() =>
        QueryAsync(db => db.AppliedDeposits.Select(d => d.DepositId).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
