using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.PrivacyRights.Tests.PrivacyRightsService))]

namespace Certometer.PrivacyRights.Tests;

/// <summary>The real PrivacyRights service, hosted in-process on real PostgreSQL and RabbitMQ containers.</summary>
public sealed class PrivacyRightsService : IAsyncLifetime
{
    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private WebApplicationFactory<Program>? _factory;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        var database = await _postgres.CreateDatabaseAsync("privacy");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Test")
            .UseSetting("ConnectionStrings:privacydb", database)
            .UseSetting("ConnectionStrings:messaging", _broker.GetConnectionString())
            // Tokens are never presented here (the registry is read from the database); the issuer only has to be named.
            .UseSetting("Identity:Issuer", "http://identity.invalid/"));
        // Creating the client starts the host: migrations, the inventory declaration, the dispatcher and the bus.
        _factory.CreateClient().Dispose();
        // Tests publish straight to the broker; before the service's queues are bound, the broker would drop that.
        var health = await _factory.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
        {
            throw new InvalidOperationException($"The PrivacyRights bus did not become healthy ({health}).");
        }
    }

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
