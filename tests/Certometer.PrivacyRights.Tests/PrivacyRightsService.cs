using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.PrivacyRights.Tests.PrivacyRightsService))]

namespace Certometer.PrivacyRights.Tests;

/// <summary>The real PrivacyRights service with its production workflow settings (a day's cooling-off, minutes of patience).</summary>
public sealed class PrivacyRightsService : PrivacyRightsHost;

/// <summary>The real PrivacyRights service, hosted in-process on its own real PostgreSQL and RabbitMQ containers.</summary>
public abstract class PrivacyRightsHost : IAsyncLifetime
{
    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private WebApplicationFactory<Program>? _factory;

    /// <summary>Test-only key; tests recompute pseudonyms with it to prove entries belong to a subject without naming them.</summary>
    public const string AuditKey = "test-only-audit-key-0123456789abcdef0123456789";

    /// <summary>The service's own database, for scans that prove what it no longer holds.</summary>
    public string DatabaseConnectionString { get; private set; } = "";

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    /// <summary>A client calling as <paramref name="subjectId"/> with <paramref name="role"/>, as Identity would issue the token.</summary>
    public HttpClient ClientFor(Guid subjectId, string role = "learner")
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForPerson(subjectId, role, "privacy", "certometer-privacy"));
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        var database = await _postgres.CreateDatabaseAsync("privacy");
        DatabaseConnectionString = database;
        _factory = await RunningService.StartAsync<Program>(
            "Test", "privacydb", database, _broker.GetConnectionString(), host => host
                .UseTestIssuer()
                .UseSetting("PrivacyRights:AuditKey", AuditKey)
                .Apply(ConfigureHost));
        await StartedAsync();
    }

    /// <summary>Settings a derived host changes, e.g. the workflow's timings.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder host)
    {
    }

    /// <summary>Runs once the service is up, before any test.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        await _broker.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

internal static class WebHostBuilderExtensions
{
    public static IWebHostBuilder Apply(this IWebHostBuilder host, Action<IWebHostBuilder> configure)
    {
        configure(host);
        return host;
    }
}
