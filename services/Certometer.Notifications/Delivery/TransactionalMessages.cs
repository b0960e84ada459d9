using System.Globalization;
using Certometer.Contracts.Billing;
using Certometer.Contracts.Catalog;
using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using Certometer.Notifications.Data;
using Certometer.Notifications.Marketing;
using Certometer.Notifications.Recipients;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Notifications.Delivery;

// Each consumer queues at most one message per fact: the inbox stops a redelivered event, the deduplication key stops
// the same fact arriving under another message id.

internal sealed class LearnerRegisteredConsumer(NotificationsDbContext db, MessageQueue queue, AddressHasher hasher, TimeProvider clock)
    : IdempotentConsumer<LearnerRegistered, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<LearnerRegistered> context, CancellationToken cancellationToken)
    {
        var registered = context.Message;
        var recipient = await Db.Recipients.SingleOrDefaultAsync(r => r.SubjectId == registered.SubjectId, cancellationToken);
        if (recipient is null)
        {
            recipient = new Recipient
            {
                SubjectId = registered.SubjectId,
                Email = registered.Email,
                Name = registered.Name,
                PreferredLanguage = registered.PreferredLanguage,
                CreatedAt = clock.GetUtcNow(),
            };
            Db.Recipients.Add(recipient);
            // An objection can arrive before the registration it concerns; it must hold for the address all the same.
            await MarketingObjections.SuppressIfObjectedAsync(Db, hasher, registered.SubjectId, registered.Email, clock.GetUtcNow(), cancellationToken);
        }

        await queue.EnqueueAsync(MessageKind.Welcome, $"welcome:{registered.SubjectId}", recipient, new Dictionary<string, string>(), cancellationToken);
    }
}

internal sealed class EnrollmentCreatedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<EnrollmentCreated, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<EnrollmentCreated> context, CancellationToken cancellationToken)
    {
        var enrollment = context.Message;
        var recipient = await Recipients.RequireAsync(Db, enrollment.SubjectId, cancellationToken);
        await queue.EnqueueAsync(
            MessageKind.EnrollmentConfirmation,
            $"enrollment:{enrollment.EnrollmentId}",
            recipient,
            new Dictionary<string, string>
            {
                ["course"] = enrollment.CourseTitle,
                ["enrolled_at"] = Dates.Of(enrollment.EnrolledAt),
            },
            cancellationToken);
    }
}

internal sealed class InvoiceIssuedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<InvoiceIssued, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<InvoiceIssued> context, CancellationToken cancellationToken)
    {
        var invoice = context.Message;
        var recipient = await Recipients.RequireAsync(Db, invoice.SubjectId, cancellationToken);
        await queue.EnqueueAsync(
            MessageKind.PaymentReceipt,
            $"invoice:{invoice.InvoiceId}",
            recipient,
            new Dictionary<string, string>
            {
                ["invoice_number"] = invoice.Number,
                // Two decimals covers the currencies we sell in (EUR, GBP, USD, CHF).
                ["total"] = string.Create(CultureInfo.InvariantCulture, $"{invoice.TotalMinor / 100m:0.00} {invoice.Currency}"),
            },
            cancellationToken);
    }
}

/// <summary>Tells the buyer a payment was declined: nothing was taken, and they can try again.</summary>
internal sealed class PaymentDeclinedConsumer(NotificationsDbContext db, MessageQueue queue)
    : IdempotentConsumer<PaymentDeclined, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PaymentDeclined> context, CancellationToken cancellationToken)
    {
        var declined = context.Message;
        await queue.EnqueueAsync(
            MessageKind.PaymentDeclined,
            $"payment-declined:{declined.OrderId}",
            await Recipients.RequireAsync(Db, declined.SubjectId, cancellationToken),
            new Dictionary<string, string>
            {
                ["order"] = declined.OrderId.ToString(),
                // The gateway's decline code (e.g. insufficient_funds): a code, never anything the buyer typed.
                ["reason"] = declined.Reason,
                ["declined_at"] = Dates.Of(declined.DeclinedAt),
            },
            cancellationToken);
    }
}

internal sealed class CertificateIssuedConsumer(NotificationsDbContext db, MessageQueue queue, IOptions<NotificationKeysOptions> options)
    : IdempotentConsumer<CertificateIssued, NotificationsDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<CertificateIssued> context, CancellationToken cancellationToken)
    {
        var certificate = context.Message;
        var recipient = await Recipients.RequireAsync(Db, certificate.SubjectId, cancellationToken);
        await queue.EnqueueAsync(
            MessageKind.CertificateIssued,
            $"certificate:{certificate.CertificateId}",
            recipient,
            new Dictionary<string, string>
            {
                ["course"] = certificate.CourseTitle,
                ["code"] = certificate.VerificationCode,
                ["check_url"] = options.Value.CertificateCheckUrl.Replace("{code}", Uri.EscapeDataString(certificate.VerificationCode), StringComparison.Ordinal),
            },
            cancellationToken);
    }
}

internal static class Recipients
{
    public static async Task<Recipient> RequireAsync(NotificationsDbContext db, Guid subjectId, CancellationToken cancellationToken) =>
        await db.Recipients.SingleOrDefaultAsync(r => r.SubjectId == subjectId, cancellationToken)
        ?? throw new RecipientNotYetKnownException(subjectId);
}
