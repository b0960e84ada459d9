using System.Collections.Concurrent;
using Certometer.Identity.Data;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.Identity.Tests.IdentityService))]

namespace Certometer.Identity.Tests;

/// <summary>
/// The real Identity service in-process, in Development (its local clients, staff and development signing keys), on real
/// PostgreSQL and RabbitMQ containers.
/// </summary>
public sealed class IdentityService : IAsyncLifetime
{
    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private WebApplicationFactory<Program>? _factory;
    private Task<ConcurrentBag<Contracts.Identity.SignUpConfirmationRequested>>? _signUpLinks;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        // Every test here comes from the same (test server) address; the limits have their own test with its own host.
        _factory = await StartAsync(host => host
            .UseSetting("Identity:AbuseLimits:SignIn:PermitLimit", "10000")
            .UseSetting("Identity:AbuseLimits:Token:PermitLimit", "10000")
            .UseSetting("Identity:AbuseLimits:Registration:PermitLimit", "10000")
            .UseSetting("Identity:AbuseLimits:EmailConfirmation:PermitLimit", "10000"));
    }

    /// <summary>Another Identity host on its own database and broker virtual host, for tests that need different settings.</summary>
    /// <remarks>
    /// Its own virtual host, because on the shared one its queues are the main host's queues: it would take messages
    /// tests publish to the main host and record them in the wrong database.
    /// </remarks>
    public async Task<WebApplicationFactory<Program>> StartAsync(Action<IWebHostBuilder> configure)
    {
        var database = await _postgres.CreateDatabaseAsync("identity");
        var broker = _factory is null ? _broker.GetConnectionString() : await _broker.CreateVirtualHostAsync("identity");
        return await RunningService.StartAsync<Program>("Development", "identitydb", database, broker, configure);
    }

    /// <summary>A client that behaves like a browser: keeps cookies, does not follow redirects.</summary>
    public HttpClient Browser(WebApplicationFactory<Program>? factory = null) =>
        (factory ?? Factory).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Every sign-up link Identity published while the tests ran, as the broker carried it (sealed).</summary>
    public Task<ConcurrentBag<Contracts.Identity.SignUpConfirmationRequested>> SignUpLinks => _signUpLinks ??= ReceiveAsync<Contracts.Identity.SignUpConfirmationRequested>();

    public async Task<T> QueryAsync<T>(Func<IdentityDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IdentityDbContext>());
    }

    /// <summary>
    /// Plays another service on the real broker: collects every <typeparamref name="TEvent"/> published from now on, as the
    /// broker carried it (personal values sealed under the subject's key).
    /// </summary>
    public async Task<ConcurrentBag<TEvent>> ReceiveAsync<TEvent>()
        where TEvent : class
    {
        var received = new ConcurrentBag<TEvent>();
        var handle = Factory.Services.GetRequiredService<IReceiveEndpointConnector>().ConnectReceiveEndpoint(
            $"identity-tests-stand-in-{typeof(TEvent).Name}-{Guid.NewGuid():N}",
            (_, endpoint) => endpoint.Handler<TEvent>(context =>
            {
                received.Add(context.Message);
                return Task.CompletedTask;
            }));
        await handle.Ready;
        return received;
    }

    /// <summary>The integration events of type <typeparamref name="TEvent"/> Identity has staged, sent or not.</summary>
    public Task<List<TEvent>> EventsAsync<TEvent>() => QueryAsync(db => db.StagedEventsAsync<TEvent>(TestContext.Current.CancellationToken));

    /// <summary>Waits until Identity has answered with an event matching <paramref name="match"/>.</summary>
    public Task<TEvent> WaitForEventAsync<TEvent>(Func<TEvent, bool> match)
        where TEvent : class =>
        Eventually.ValueAsync(
            async () => (await EventsAsync<TEvent>()).FirstOrDefault(match),
            $"Identity staged the expected {typeof(TEvent).Name}",
            TimeSpan.FromSeconds(30),
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
