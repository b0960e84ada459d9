using MassTransit;

namespace Certometer.Messaging.Outbox;

/// <summary>The one place an outbox row reaches the broker; a seam so tests can simulate a dispatcher dying mid-publish.</summary>
internal interface IOutboxPublisher
{
    /// <summary>Completes only once the broker has confirmed the message.</summary>
    Task PublishAsync(Guid messageId, object message, Type messageType, CancellationToken cancellationToken);
}

internal sealed class MassTransitOutboxPublisher(IBus bus) : IOutboxPublisher
{
    // MassTransit's RabbitMQ transport awaits the publisher confirm before Publish completes
    // (PublisherConfirmation is set in MessagingRegistration), so returning here means the broker has the message.
    public Task PublishAsync(Guid messageId, object message, Type messageType, CancellationToken cancellationToken) =>
        bus.Publish(message, messageType, Pipe.Execute<PublishContext>(context => context.MessageId = messageId), cancellationToken);
}
