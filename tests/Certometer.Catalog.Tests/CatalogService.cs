using System.Net.Http.Headers;
using Certometer.Catalog.Data;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.Catalog.Tests.CatalogService))]

namespace Certometer.Catalog.Tests;

/// <summary>The real Catalog service in-process on real PostgreSQL and RabbitMQ containers, accepting tokens from the test issuer.</summary>
public sealed class CatalogService : IAsyncLifetime
{
    public const string Scope = "catalog";
    public const string Audience = "urn:certometer:catalog";

    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private WebApplicationFactory<Program>? _factory;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    /// <summary>Every message the service's consumers finished with, by message id: how tests know a delivery was handled.</summary>
    public ConsumedMessages Consumed => Factory.Services.GetRequiredService<ConsumedMessages>();

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        var database = await _postgres.CreateDatabaseAsync("catalog");
        _factory = await RunningService.StartAsync<Program>("Test", "catalogdb", database, _broker.GetConnectionString(), host => host.UseTestIssuer());
    }

    /// <summary>A client calling as a person with <paramref name="role"/>, or anonymously when <paramref name="subject"/> is null.</summary>
    public HttpClient Client(Guid? subject = null, string role = "learner")
    {
        var http = Factory.CreateClient();
        if (subject is { } id)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForPerson(id, role, Scope, Audience));
        }

        return http;
    }

    public HttpClient Operator() => Client(Guid.NewGuid(), "operator");

    public async Task<T> QueryAsync<T>(Func<CatalogDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CatalogDbContext>());
    }

    /// <summary>Publishes as another service would, through the service's own bus, and waits until Catalog has handled it.</summary>
    public async Task DeliverAsync<T>(T message, Guid? messageId = null)
        where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        await Factory.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = id, TestContext.Current.CancellationToken);
        await Consumed.WaitAsync(id, 1, TestContext.Current.CancellationToken);
    }

    /// <summary>The integration events of type <typeparamref name="TEvent"/> Catalog has staged, sent or not, oldest first.</summary>
    public Task<List<TEvent>> EventsAsync<TEvent>() => QueryAsync(db => db.StagedEventsAsync<TEvent>(TestContext.Current.CancellationToken));

    /// <summary>Waits until Catalog has staged an event matching <paramref name="match"/>.</summary>
    public Task<TEvent> WaitForEventAsync<TEvent>(Func<TEvent, bool> match)
        where TEvent : class =>
        Eventually.ValueAsync(
            async () => (await EventsAsync<TEvent>()).FirstOrDefault(match), $"Catalog staged the expected {typeof(TEvent).Name}", CatalogTimeout, TestContext.Current.CancellationToken);

    /// <summary>How long Catalog's tests wait for something to happen.</summary>
    public static readonly TimeSpan CatalogTimeout = TimeSpan.FromSeconds(30);

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
