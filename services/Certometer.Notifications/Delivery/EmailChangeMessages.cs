using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using Certometer.Notifications.Recipients;
using MassTransit;

namespace Certometer.Notifications.Delivery;

/// <summary>
/// An address change asked for in Identity: the link that makes it goes to the new address, and a notice with the link
/// that stops it goes to the address on record, which keeps getting every message until the change is made. Both are
/// owed to the person, so restriction and marketing choices do not stop them.
/// </summary>
internal sealed class EmailChangeRequestedConsumer(NotificationsDbContext db, MessageQueue queue, TimeProvider clock)
    : IdempotentConsumer<EmailChangeRequested, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<EmailChangeRequested> context, CancellationToken cancellationToken)
    {
        var requested = context.Message;
        var recipient = await Recipients.RequireAsync(Db, requested.SubjectId, cancellationToken);
        var fact = $"email-change:{requested.SubjectId}:{requested.RequestedAt.UtcTicks}";
        // A late notice still matters (someone had the password); a late link does not work.
        await queue.EnqueueAsync(
            MessageKind.EmailChangeNotice,
            $"{fact}:notice",
            recipient,
            new Dictionary<string, string>
            {
                ["new_email"] = requested.NewEmail,
                ["requested_at"] = Dates.TimeOf(requested.RequestedAt),
                ["cancel_url"] = requested.CancellationUrl,
            },
            cancellationToken);

        if (requested.ExpiresAt > clock.GetUtcNow())
        {
            await queue.EnqueueAsync(
                MessageKind.EmailChangeConfirmation,
                $"{fact}:confirmation",
                recipient,
                new Dictionary<string, string>
                {
                    ["confirm_url"] = requested.ConfirmationUrl,
                    ["expires_at"] = Dates.TimeOf(requested.ExpiresAt),
                },
                cancellationToken,
                toAddress: requested.NewEmail);
        }
    }
}
