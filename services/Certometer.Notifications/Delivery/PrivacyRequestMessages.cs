using System.Globalization;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using Certometer.Notifications.Recipients;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Delivery;

// What the subject must be told about their own privacy request: that it arrived and by when it will be answered, why
// it takes longer, why it was declined, that it is done, that a restriction is about to end. These are owed to the subject, so restriction and marketing choices do not
// stop them, and like every transactional message they wait for an unknown recipient instead of vanishing.

internal sealed class PrivacyRequestReceivedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<PrivacyRequestReceived, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestReceived> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        await queue.EnqueueAsync(
            MessageKind.PrivacyRequestReceived,
            $"privacy-request:{request.RequestId}:received",
            await Recipients.RequireAsync(Db, request.SubjectId, cancellationToken),
            new Dictionary<string, string>
            {
                ["kind"] = request.Kind.ToString(),
                ["received_at"] = Dates.Of(request.ReceivedAt),
                ["deadline"] = Dates.Of(request.Deadline),
            },
            cancellationToken);
    }
}

internal sealed class PrivacyRequestExtendedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<PrivacyRequestExtended, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestExtended> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        await queue.EnqueueAsync(
            MessageKind.PrivacyRequestExtended,
            $"privacy-request:{request.RequestId}:extended",
            await Recipients.RequireAsync(Db, request.SubjectId, cancellationToken),
            new Dictionary<string, string>
            {
                ["kind"] = request.Kind.ToString(),
                ["reason"] = request.Reason,
                ["previous_deadline"] = Dates.Of(request.PreviousDeadline),
                ["deadline"] = Dates.Of(request.NewDeadline),
            },
            cancellationToken);
    }
}

internal sealed class PrivacyRequestDeniedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<PrivacyRequestDenied, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestDenied> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        await queue.EnqueueAsync(
            MessageKind.PrivacyRequestDenied,
            $"privacy-request:{request.RequestId}:denied",
            await Recipients.RequireAsync(Db, request.SubjectId, cancellationToken),
            new Dictionary<string, string> { ["kind"] = request.Kind.ToString(), ["reason"] = request.Reason },
            cancellationToken);
    }
}

/// <summary>
/// Confirms a withdrawn request. Withdrawing needs only the subject's token, so the message is also how a subject learns
/// that someone else, holding a stolen token, withdrew the erasure or objection they asked for.
/// </summary>
internal sealed class PrivacyRequestCancelledConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<PrivacyRequestCancelled, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestCancelled> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        await queue.EnqueueAsync(
            MessageKind.PrivacyRequestCancelled,
            $"privacy-request:{request.RequestId}:cancelled",
            await Recipients.RequireAsync(Db, request.SubjectId, cancellationToken),
            new Dictionary<string, string> { ["kind"] = request.Kind.ToString(), ["cancelled_at"] = Dates.Of(request.CancelledAt) },
            cancellationToken);
    }
}

/// <summary>
/// Emails the one-time code for a request made without signing in, to the account's address Identity found. The person
/// is not necessarily known here yet, and nothing is added to what Notifications keeps about them but the message itself,
/// whose body is blanked once it is sent.
/// </summary>
internal sealed class PrivacyRequestVerificationCodeAddressedConsumer(NotificationsDbContext db, MessageQueue queue, TimeProvider clock)
    : IdempotentConsumer<PrivacyRequestVerificationCodeAddressed, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestVerificationCodeAddressed> context, CancellationToken cancellationToken)
    {
        var addressed = context.Message;
        if (addressed.ExpiresAt <= clock.GetUtcNow())
        {
            return;
        }

        var recipient = new Recipient
        {
            SubjectId = addressed.SubjectId,
            Email = addressed.Email,
            Name = addressed.Name,
            PreferredLanguage = addressed.PreferredLanguage,
        };
        await queue.EnqueueAsync(
            MessageKind.PrivacyRequestVerification,
            $"privacy-verification:{addressed.VerificationId}",
            recipient,
            new Dictionary<string, string>
            {
                ["kind"] = addressed.Kind.ToString(),
                ["code"] = addressed.Code,
                ["expires_at"] = Dates.TimeOf(addressed.ExpiresAt),
            },
            cancellationToken);
    }
}

/// <summary>
/// Tells the subject their request is done. PrivacyRights waits for the delivery (<see cref="PrivacyNoticeDelivered"/>)
/// before it drops the contact address it kept for this message.
/// </summary>
internal sealed class PrivacyRequestCompletedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<PrivacyRequestCompleted, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestCompleted> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        var key = $"privacy-request:{request.RequestId}:completed";
        var values = new Dictionary<string, string>
        {
            ["kind"] = request.Kind.ToString(),
            ["completed_at"] = Dates.Of(request.CompletedAt),
        };
        if (request.PackageAvailableUntil is { } until)
        {
            values["package_available_until"] = Dates.Of(until);
        }

        // After an erasure this service has forgotten the subject too (and must not learn them again): the message goes
        // to the address PrivacyRights kept for it, in the language Identity reported, with no subject id attached.
        var recipient = request.Kind == PrivacyRequestKind.Erasure
            ? null
            : await Db.Recipients.SingleOrDefaultAsync(r => r.SubjectId == request.SubjectId, cancellationToken);
        if (recipient is not null)
        {
            await queue.EnqueueAsync(
                MessageKind.PrivacyRequestCompleted, key, recipient, values, cancellationToken,
                toAddress: string.IsNullOrWhiteSpace(request.ContactEmail) ? null : request.ContactEmail,
                privacyRequestId: request.RequestId);
        }
        else if (!string.IsNullOrWhiteSpace(request.ContactEmail))
        {
            await queue.EnqueueToForgottenAsync(
                MessageKind.PrivacyRequestCompleted, key, request.ContactEmail, request.PreferredLanguage, values, request.RequestId, cancellationToken);
        }
        else
        {
            throw new RecipientNotYetKnownException(request.SubjectId);
        }
    }
}

/// <summary>
/// Tells a restricted subject, before it happens, that their restriction is about to be lifted (GDPR art. 18(3)).
/// PrivacyRights lifts it only once this is delivered, so the restriction itself must not hold this message back.
/// </summary>
internal sealed class PrivacyRestrictionLiftApprovedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<PrivacyRequestApproved, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PrivacyRequestApproved> context, CancellationToken cancellationToken)
    {
        var request = context.Message;
        if (request.Kind != PrivacyRequestKind.RestrictionLift)
        {
            return;
        }

        await queue.EnqueueAsync(
            MessageKind.PrivacyRestrictionLifting,
            $"privacy-request:{request.RequestId}:restriction-lifting",
            await Recipients.RequireAsync(Db, request.SubjectId, cancellationToken),
            new Dictionary<string, string> { ["approved_at"] = Dates.Of(request.ApprovedAt) },
            cancellationToken,
            privacyRequestId: request.RequestId);
    }
}

internal static class Dates
{
    // ISO dates read the same in every language the templates speak.
    public static string Of(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string TimeOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
