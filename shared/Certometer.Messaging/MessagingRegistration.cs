using Certometer.Messaging.DeadLetters;
using Certometer.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Certometer.Messaging;

/// <summary>Wires MassTransit on RabbitMQ and the outbox dispatcher for one service.</summary>
public static class MessagingRegistration
{
    /// <summary>The connection string name the AppHost gives the RabbitMQ resource.</summary>
    public const string BrokerConnectionName = "messaging";

    /// <summary>
    /// Adds the bus and the outbox dispatcher for <typeparamref name="TDbContext"/>. Queue names are prefixed with
    /// <paramref name="serviceName"/>, so two services consuming the same event each get their own copy.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging<TDbContext>(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        builder.Services.AddOptions<MessagingOptions>()
            .Bind(builder.Configuration.GetSection(MessagingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OutboxOptions>()
            .Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var brokerAddress = builder.Configuration.GetConnectionString(BrokerConnectionName);
        if (string.IsNullOrWhiteSpace(brokerAddress))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{BrokerConnectionName} is missing: set it to the RabbitMQ address (amqp://user:password@host:port), or run the service from the AppHost.");
        }

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                var parking = new DeadLetterParking<TDbContext>(context, queue);
                endpoint.ConfigureError(error => error.UseFilter(parking));
                endpoint.ConfigureDeadLetter(skipped => skipped.UseFilter(parking));
                var settings = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                endpoint.UseMessageRetry(retry => retry.Exponential(
                    settings.RetryLimit,
                    settings.FirstRetryInterval,
                    settings.MaxRetryInterval,
                    settings.FirstRetryInterval));
                endpoint.PrefetchCount = settings.PrefetchCount;
                if (settings.UseQuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });

            configureConsumers?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(brokerAddress), host => host.PublisherConfirmation = true);
                rabbit.ConfigurePublish(publish =>
                    publish.ConnectPublishPipeSpecificationObserver(new OutgoingMessageStamps([.. context.GetServices<IOutgoingMessageStamp>()])));
                // Exchanges and queues are durable by default in MassTransit. Faulted messages are parked in the
                // service's database after the retries above; <queue>_error keeps only a pointer to each.
                rabbit.ConfigureEndpoints(context);
            });
        });

        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, OutboxCommitInterceptor>());
        builder.Services.TryAddSingleton<IOutboxPublisher, MassTransitOutboxPublisher>();
        builder.Services.AddHostedService<OutboxDispatcher<TDbContext>>();
        builder.Services.AddHostedService<DeadLetterReplay<TDbContext>>();
        return builder;
    }

    /// <summary>
    /// Marks <typeparamref name="TEvent"/> as carrying a secret that must not stay at rest: its outbox row keeps the
    /// payload only until the broker confirms it, so the database holds the secret no longer than sending needs.
    /// </summary>
    public static IHostApplicationBuilder ForgetPayloadOnceSent<TEvent>(this IHostApplicationBuilder builder)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<OutboxOptions>(options => options.PayloadsForgottenOnceSent.Add(IntegrationEvents.TypeNameOf(typeof(TEvent))));
        return builder;
    }
}
