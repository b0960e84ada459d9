using Certometer.TestInfrastructure;
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
        // Tokens are never presented here (the registry is read from the database); the issuer only has to be named.
        _factory = await RunningService.StartAsync<Program>(
            "Test", "privacydb", database, _broker.GetConnectionString(), host => host.UseSetting("Identity:Issuer", "http://identity.invalid/"));
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
