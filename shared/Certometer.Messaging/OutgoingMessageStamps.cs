using MassTransit;
using MassTransit.Configuration;

namespace Certometer.Messaging;

/// <summary>Adds headers to every message a service publishes, as it is published (a signature, for one).</summary>
public interface IOutgoingMessageStamp
{
    void Stamp<TMessage>(PublishContext<TMessage> context)
        where TMessage : class;
}

/// <summary>
/// Puts the registered <see cref="IOutgoingMessageStamp"/>s on the bus's publish pipe for every message type. On the
/// pipe itself rather than as a scoped publish filter, which MassTransit skips when publishing through <c>IBus</c> — and
/// the outbox dispatcher publishes through <c>IBus</c>.
/// </summary>
internal sealed class OutgoingMessageStamps(IReadOnlyList<IOutgoingMessageStamp> stamps) : IPublishPipeSpecificationObserver
{
    public void MessageSpecificationCreated<TMessage>(IMessagePublishPipeSpecification<TMessage> specification)
        where TMessage : class =>
        specification.UseFilter(new StampFilter<TMessage>(stamps));

    private sealed class StampFilter<TMessage>(IReadOnlyList<IOutgoingMessageStamp> stamps) : IFilter<PublishContext<TMessage>>
        where TMessage : class
    {
        public Task Send(PublishContext<TMessage> context, IPipe<PublishContext<TMessage>> next)
        {
            foreach (var stamp in stamps)
            {
                stamp.Stamp(context);
            }

            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("outgoing-message-stamps");
    }
}
