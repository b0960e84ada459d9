using System.Data.Common;
using System.Net.Http.Headers;
using Certometer.Billing.Data;
using Certometer.Billing.Gateway;
using Certometer.Billing.Invoices;
using Certometer.Contracts.Catalog;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.Billing.Tests.BillingService))]

namespace Certometer.Billing.Tests;

/// <summary>The real Billing service in-process, on real PostgreSQL and RabbitMQ containers, with test tokens.</summary>
public sealed class BillingService : IAsyncLifetime
{
    public const string WebhookSecret = "test-webhook-secret-0123456789abcdef0123456789";
    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private WebApplicationFactory<Program>? _factory;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public string Database { get; private set; } = "";

    public string Broker => _broker.GetConnectionString();

    /// <summary>Makes the commit of one chosen order's payment fail, as a database going away at the worst moment would.</summary>
    public CommitFailures CommitFailures { get; } = new();

    internal SandboxGateway Sandbox => Factory.Services.GetRequiredService<SandboxGateway>();

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        Database = await _postgres.CreateDatabaseAsync("billing");
        _factory = await RunningService.StartAsync<Program>("Test", "billingdb", Database, _broker.GetConnectionString(), host => host
            .UseTestIssuer()
            .UseSetting("Billing:Gateway:Provider", "Sandbox")
            .UseSetting("Billing:Gateway:AllowSandbox", "true")
            .UseSetting("Billing:Gateway:WebhookSecret", WebhookSecret)
            .UseSetting("Billing:ErasedBuyers:PseudonymKey", "test-pseudonym-key-0123456789abcdef0123456789")
            .UseSetting("Billing:ErasedBuyers:ErasedBuyerRefundInterval", "00:00:00.500")
            .UseSetting("Billing:Invoices:TaxRatesByCountry:FR", "20")
            .ConfigureServices(services => services.ConfigureDbContext<BillingDbContext>(options => options.AddInterceptors(CommitFailures))));
    }

    /// <summary>A client calling as a person with <paramref name="role"/>.</summary>
    public HttpClient ClientFor(Guid subjectId, string role = "learner")
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", TestTokens.ForPerson(subjectId, role, "billing", "urn:certometer:billing"));
        return client;
    }

    public Task PublishAsync<T>(T message)
        where T : class =>
        Factory.Services.GetRequiredService<IBus>().Publish(message, TestContext.Current.CancellationToken);

    /// <summary>Posts a gateway webhook, signed with the test secret unless <paramref name="signature"/> is given.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string body, string? signature = null)
    {
        using var gateway = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/gateway/webhooks")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(
            WebhookSignature.HeaderName, signature ?? WebhookSignature.Sign(WebhookSecret, DateTimeOffset.UtcNow, body));
        return await gateway.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Publishes as another service would and waits until Billing has finished with the message.</summary>
    public Task DeliverAsync<T>(T message)
        where T : class => Factory.DeliverAsync(message, TestContext.Current.CancellationToken);

    /// <summary>Puts a new course on the price list through Catalog's event, and waits until Billing has it.</summary>
    public async Task<Guid> OfferCourseAsync(long priceMinor = 9900, string currency = "EUR", string title = "Data Protection Officer Certification")
    {
        var courseId = Guid.NewGuid();
        await PublishAsync(new CourseOffered(courseId, $"course-{courseId:N}", title, priceMinor, currency, 1, DateTimeOffset.UtcNow));
        await WaitUntilAsync(() => QueryAsync(db => db.CourseOffers.AnyAsync(c => c.CourseId == courseId)), "the course to reach the price list");
        return courseId;
    }

    public async Task<T> QueryAsync<T>(Func<BillingDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<BillingDbContext>());
    }

    /// <summary>The integration events of type <typeparamref name="TEvent"/> Billing has staged, sent or not.</summary>
    public Task<List<TEvent>> EventsAsync<TEvent>() => QueryAsync(db => db.StagedEventsAsync<TEvent>(TestContext.Current.CancellationToken));

    public async Task<TEvent> WaitForEventAsync<TEvent>(Func<TEvent, bool> match)
    {
        TEvent? found = default;
        await WaitUntilAsync(async () => (found = (await EventsAsync<TEvent>()).FirstOrDefault(match)) is not null, $"a {typeof(TEvent).Name}");
        return found!;
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.HoldsAsync(condition, what, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Every value of every column of every table in Billing's database, with where it was found.</summary>
    public async Task<IReadOnlyList<(string Column, string Value)>> AllTextAsync()
    {
        var scan = await DatabaseScan.ReadAsync(Database, TestContext.Current.CancellationToken);
        scan.Columns.Count.ShouldBeGreaterThan(10, "the scan must see Billing's tables, or it proves nothing");
        return scan.Cells;
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

/// <summary>Fails the commit of the transaction that issues the invoice of an armed order, once.</summary>
public sealed class CommitFailures : DbTransactionInterceptor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, bool> _armed = new();

    public void FailNextCommitFor(Guid orderId) => _armed[orderId] = true;

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        var issuing = eventData.Context?.ChangeTracker.Entries<Invoice>().Select(entry => entry.Entity.OrderId) ?? [];
        if (issuing.Any(orderId => _armed.TryRemove(orderId, out _)))
        {
            throw new InvalidOperationException("Simulated failure: the database connection dropped while committing the payment.");
        }

        return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
    }
}
