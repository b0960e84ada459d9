using Certometer.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging.Inbox;

/// <summary>
/// A consumer whose effect is applied at most once per message id, however often the broker delivers it.
/// </summary>
/// <remarks>
/// The inbox row, the consumer's changes and any integration events it stages in the outbox commit in one
/// transaction. A concurrent duplicate blocks on the inbox row's primary key until the first delivery commits,
/// then finds the row and does nothing; if the first delivery rolls back, the duplicate applies the effect instead.
/// </remarks>
public abstract class IdempotentConsumer<TMessage, TDbContext>(TDbContext db) : IConsumer<TMessage>
    where TMessage : class
    where TDbContext : DbContext
{
    protected TDbContext Db { get; } = db;

    /// <summary>Inbox key for this consumer; stable across releases so a redelivery after a deploy is still recognised.</summary>
    protected virtual string ConsumerName => GetType().FullName ?? GetType().Name;

    /// <summary>What makes two deliveries the same: the message id, unless the message names what it is about.</summary>
    protected virtual Guid IdempotencyKey(ConsumeContext<TMessage> context) =>
        context.MessageId
        ?? throw new InvalidOperationException($"A {typeof(TMessage).Name} arrived without a message id, so it cannot be deduplicated.");

    /// <summary>Whether this consumer acts on the message at all; one it ignores leaves no inbox row behind.</summary>
    protected virtual bool IsMeantForThisConsumer(ConsumeContext<TMessage> context) => true;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsMeantForThisConsumer(context))
        {
            return;
        }

        var messageId = IdempotencyKey(context);
        var consumer = ConsumerName;

        await Db.InTransactionAsync(
            async cancellationToken =>
            {
                var firstDelivery = await Db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO inbox_messages (message_id, consumer, processed_at)
                    VALUES ({messageId}, {consumer}, now())
                    ON CONFLICT DO NOTHING
                    """,
                    cancellationToken) == 1;
                if (!firstDelivery)
                {
                    return;
                }

                await HandleOnceAsync(context, cancellationToken);
                await Db.SaveAndCommitAsync(cancellationToken);
            },
            context.CancellationToken);
    }

    /// <summary>Applies the message's effect through <see cref="Db"/>; do not call SaveChanges, the base class commits.</summary>
    protected abstract Task HandleOnceAsync(ConsumeContext<TMessage> context, CancellationToken cancellationToken);
}
