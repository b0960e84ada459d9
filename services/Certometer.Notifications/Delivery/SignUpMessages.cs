using System.Security.Cryptography;
using System.Text;
using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using Certometer.Notifications.Recipients;
using MassTransit;

namespace Certometer.Notifications.Delivery;

/// <summary>
/// The link that starts a new account, to an address no service knows as anyone's yet: written like a message to a
/// forgotten person (no subject, no name), so if the link is never opened, the delivery log keeps nothing of them.
/// </summary>
internal sealed class SignUpConfirmationRequestedConsumer(NotificationsDbContext db, MessageQueue queue, TimeProvider clock)
    : IdempotentConsumer<SignUpConfirmationRequested, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<SignUpConfirmationRequested> context, CancellationToken cancellationToken)
    {
        var requested = context.Message;
        // A link that no longer works is not worth an email.
        if (requested.ExpiresAt <= clock.GetUtcNow())
        {
            return;
        }

        await queue.EnqueueToForgottenAsync(
            MessageKind.SignUpConfirmation,
            // Not the account id: if the person later becomes a learner and is erased, this row (which has no subject to
            // erase it by) must not still name them. The link is unique per sign-up and dead within a day.
            $"sign-up:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(requested.ConfirmationUrl)))}",
            requested.Email,
            requested.PreferredLanguage,
            new Dictionary<string, string>
            {
                ["confirm_url"] = requested.ConfirmationUrl,
                ["expires_at"] = Dates.TimeOf(requested.ExpiresAt),
            },
            privacyRequestId: null,
            cancellationToken);
    }
}

/// <summary>
/// Tells an account's owner that someone signed up with their address, at most once an hour: the sign-up answered as
/// for any address, so this notice is how the owner (and only the owner) learns of it, and repeated sign-ups cannot
/// turn it into a flood. Owed to the person, so restriction does not stop it.
/// </summary>
internal sealed class SignUpAttemptedForExistingAccountConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<SignUpAttemptedForExistingAccount, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<SignUpAttemptedForExistingAccount> context, CancellationToken cancellationToken)
    {
        var attempted = context.Message;
        // Staff accounts have no recipient row here, so the address travels with the event, as for a verification code.
        var recipient = new Recipient
        {
            SubjectId = attempted.SubjectId,
            Email = attempted.Email,
            Name = attempted.Name,
            PreferredLanguage = attempted.PreferredLanguage,
        };
        await queue.EnqueueAsync(
            MessageKind.ExistingAccountNotice,
            $"sign-up-existing:{attempted.SubjectId}:{attempted.AttemptedAt.UtcDateTime:yyyyMMddHH}",
            recipient,
            new Dictionary<string, string>
            {
                ["requested_at"] = Dates.TimeOf(attempted.AttemptedAt),
                ["sign_in_url"] = attempted.SignInUrl,
            },
            cancellationToken);
    }
}
