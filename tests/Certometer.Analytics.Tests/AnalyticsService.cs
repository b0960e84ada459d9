using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Certometer.Analytics.Data;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.Analytics.Tests.AnalyticsService))]

namespace Certometer.Analytics.Tests;

/// <summary>
/// The real Analytics service in-process on real PostgreSQL and RabbitMQ containers, validating tokens from the test
/// issuer. Every request comes from <see cref="ClientAddress"/> (sent as X-Forwarded-For, which the host is told to
/// trust), which the configured table places in <see cref="ClientRegion"/>.
/// </summary>
public sealed class AnalyticsService : IAsyncLifetime
{
    public const string PseudonymKey = "test-pseudonym-key-0123456789abcdef-0123456789abcdef";
    public const string ClientAddress = "203.0.113.77";
    public const string ClientRegion = "ZZ-TEST";
    public const string Scope = "analytics";
    public const string Audience = "urn:certometer:analytics";

    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private Host? _main;

    public Host Main => _main ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        _main = await StartAsync();
    }

    /// <summary>Another Analytics host on its own database and virtual host, for tests that need data or settings of their own.</summary>
    public async Task<Host> StartAsync(Action<IWebHostBuilder>? configure = null)
    {
        var database = await _postgres.CreateDatabaseAsync("analytics");
        var broker = await _broker.CreateVirtualHostAsync("analytics");
        var factory = await RunningService.StartAsync<Program>("Test", "analyticsdb", database, broker, host =>
        {
            host.UseTestIssuer()
                .UseSetting("Analytics:PseudonymKey", PseudonymKey)
                // What a deployment behind a reverse proxy sets (ASPNETCORE_FORWARDEDHEADERS_ENABLED), so the address is known.
                .UseSetting("ForwardedHeaders_Enabled", "true")
                .UseSetting("Analytics:CoarseLocation:Networks:0:Network", "203.0.113.0/24")
                .UseSetting("Analytics:CoarseLocation:Networks:0:Region", ClientRegion);
            configure?.Invoke(host);
        });
        return new Host(factory, database);
    }

    /// <summary>The pseudonym computed independently of the service: HMAC-SHA256 of the subject id under the test key.</summary>
    public static string PseudonymOf(Guid subjectId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PseudonymKey), Encoding.ASCII.GetBytes(subjectId.ToString("D"))));

    public static string LearnerToken(Guid subjectId) => TestTokens.ForPerson(subjectId, "learner", Scope, Audience);

    public static string OperatorToken() => TestTokens.ForPerson(Guid.NewGuid(), "operator", Scope, Audience);

    public async ValueTask DisposeAsync()
    {
        if (_main is not null)
        {
            await _main.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        await _broker.DisposeAsync();
    }

    /// <summary>One running Analytics host and its database.</summary>
    public sealed class Host(WebApplicationFactory<Program> factory, string database) : IAsyncDisposable
    {
        public WebApplicationFactory<Program> Factory => factory;

        /// <summary>A client calling from <see cref="ClientAddress"/>, with a bearer token when one is given.</summary>
        public HttpClient Client(string? token = null)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", ClientAddress);
            if (token is not null)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return client;
        }

        public async Task<T> QueryAsync<T>(Func<AnalyticsDbContext, Task<T>> query)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await query(scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>());
        }

        public Task PublishAsync<T>(T message, Guid? messageId = null)
            where T : class =>
            factory.Services.GetRequiredService<IBus>().Publish(message, context =>
            {
                if (messageId is { } id)
                {
                    context.MessageId = id;
                }
            }, TestContext.Current.CancellationToken);

        /// <summary>Publishes as another service would and waits until Analytics has finished with the message.</summary>
        public Task DeliverAsync<T>(T message)
            where T : class => factory.DeliverAsync(message, TestContext.Current.CancellationToken);

        /// <summary>Publishes the consents in force as the ledger would, at its <paramref name="sequence"/>, and waits until Analytics has applied them.</summary>
        public async Task RecordConsentAsync(Guid subjectId, bool? analytics, long sequence)
        {
            var messageId = Guid.NewGuid();
            await PublishAsync(new ConsentsInForce(subjectId, Marketing: false, analytics, sequence, DateTimeOffset.UtcNow), messageId);
            await WaitUntilAsync($"the consent message {messageId} was consumed", db => db.Set<Messaging.Inbox.InboxMessage>()
                .AnyAsync(m => m.MessageId == messageId, TestContext.Current.CancellationToken));
        }

        public Task WaitUntilAsync(string what, Func<AnalyticsDbContext, Task<bool>> condition) =>
            Eventually.HoldsAsync(() => QueryAsync(condition), what, cancellationToken: TestContext.Current.CancellationToken);

        /// <summary>Waits until Analytics has staged an answer of type <typeparamref name="TEvent"/> matching <paramref name="match"/>.</summary>
        public async Task<TEvent> WaitForEventAsync<TEvent>(Func<TEvent, bool> match)
        {
            TEvent? found = default;
            await WaitUntilAsync($"a matching {typeof(TEvent).Name} was staged", async db =>
            {
                found = (await db.StagedEventsAsync<TEvent>(TestContext.Current.CancellationToken)).FirstOrDefault(match);
                return found is not null;
            });
            return found!;
        }

        /// <summary>Every table.column of the database whose value, as text, contains <paramref name="value"/> (any case).</summary>
        public async Task<IReadOnlyList<string>> ColumnsContainingAsync(string value)
        {
            var scan = await DatabaseScan.ReadAsync(database, TestContext.Current.CancellationToken);
            scan.Columns.Count.ShouldBeGreaterThan(10, "the scan must see the service's tables");
            return scan.ColumnsContaining(value, StringComparison.OrdinalIgnoreCase);
        }

        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}
