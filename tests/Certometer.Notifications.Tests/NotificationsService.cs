using Certometer.Notifications.Data;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.Notifications.Tests.NotificationsService))]

namespace Certometer.Notifications.Tests;

/// <summary>The real Notifications service in-process, on real PostgreSQL and RabbitMQ, sending to a real SMTP server.</summary>
public sealed class NotificationsService : IAsyncLifetime
{
    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private WebApplicationFactory<Program>? _factory;

    public Mailbox Mailbox { get; } = new(InfrastructureContainers.FreeTcpPort());

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        var database = await _postgres.CreateDatabaseAsync("notifications");
        _factory = await RunningService.StartAsync<Program>("Test", "notificationsdb", database, _broker.GetConnectionString(), host => host
            .UseTestIssuer()
            .UseSetting("Smtp:Host", "127.0.0.1")
            .UseSetting("Smtp:Port", Mailbox.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Smtp:Security", "None")
            .UseSetting("Smtp:AllowPlainText", "true")
            .UseSetting("Smtp:PollInterval", "00:00:00.100")
            .UseSetting("Notifications:SuppressionKey", "test-suppression-key-0123456789abcdef0123456789")
            .UseSetting("Notifications:LinkSigningKey", "test-link-signing-key-0123456789abcdef012345678")
            .UseSetting("Notifications:PublicBaseUrl", "http://notifications.test/")
            .UseSetting("PolicyNotices:BatchSize", "3"));
    }

    public Task PublishAsync<T>(T message, Guid? messageId = null)
        where T : class =>
        Factory.Services.GetRequiredService<IBus>().Publish(message, context =>
        {
            if (messageId is { } id)
            {
                context.MessageId = id;
            }
        }, TestContext.Current.CancellationToken);

    /// <summary>Publishes as another service would and waits until Notifications has finished with the message.</summary>
    public Task DeliverAsync<T>(T message)
        where T : class => Factory.DeliverAsync(message, TestContext.Current.CancellationToken);

    public async Task<T> QueryAsync<T>(Func<NotificationsDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails the test naming what never happened.</summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, string what) =>
        Eventually.HoldsAsync(condition, what, cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await Mailbox.DisposeAsync();
        await _postgres.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
