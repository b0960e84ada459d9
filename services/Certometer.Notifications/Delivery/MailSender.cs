using System.ComponentModel.DataAnnotations;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Outbox;
using Certometer.Notifications.Data;
using Certometer.Notifications.Marketing;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.Retry;

namespace Certometer.Notifications.Delivery;

/// <summary>How to reach the SMTP relay (section <c>Smtp</c>); the AppHost points it at its local mail server.</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    [Required(ErrorMessage = "Smtp:Host is required: the SMTP relay's host name.")]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>
    /// StartTls or SslOnConnect. Outside Development nothing that could fall back to plain text (None, Auto,
    /// StartTlsWhenAvailable) is accepted unless <see cref="AllowPlainText"/> says so: messages carry addresses, names
    /// and one-time codes.
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Lets a test or staging environment talk to a relay without TLS, such as a local mail catcher.</summary>
    public bool AllowPlainText { get; set; }

    /// <summary>Whether every connection to the relay is encrypted, with no silent fallback.</summary>
    public bool RequiresTls => Security is SecureSocketOptions.StartTls or SecureSocketOptions.SslOnConnect;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "no-reply@certometer.local";

    public string FromName { get; set; } = "Certometer";

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Sends queued messages over SMTP. Several instances can run: each claims a batch by pushing its next-attempt time
/// forward under <c>FOR UPDATE SKIP LOCKED</c>. A message that keeps failing backs off and ends Failed after
/// <see cref="SmtpOptions.MaxAttempts"/>, visible in the delivery log; nothing is dropped silently.
/// </summary>
internal sealed partial class MailSender(
    IServiceScopeFactory scopeFactory,
    IOptions<SmtpOptions> options,
    TimeProvider clock,
    ILogger<MailSender> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    // Transient SMTP trouble (a relay restarting, a dropped connection) is retried at once a few times; anything
    // longer is the row's back-off.
    private readonly ResiliencePipeline _smtpRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<SmtpProtocolException>().Handle<System.Net.Sockets.SocketException>()
                .Handle<SmtpCommandException>(exception => (int)exception.StatusCode >= 400 && (int)exception.StatusCode < 500),
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPassFailed(exception);
                sent = 0;
            }

            if (sent == 0)
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
        }
    }

    internal async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow();
        var leaseUntil = now + Lease;
        var claimed = await db.Database.SqlQuery<Guid>($"""
            UPDATE outgoing_messages SET next_attempt_at = {leaseUntil}
            WHERE id IN (
                SELECT id FROM outgoing_messages
                WHERE status = 'Queued' AND next_attempt_at <= {now}
                ORDER BY next_attempt_at
                LIMIT 20
                FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var messages = await db.Messages.Where(m => claimed.Contains(m.Id)).ToListAsync(cancellationToken);
        var hasher = scope.ServiceProvider.GetRequiredService<AddressHasher>();
        using var smtp = new SmtpClient();
        for (var next = 0; next < messages.Count; next++)
        {
            var message = messages[next];
            if (db.Entry(message).State == EntityState.Detached)
            {
                db.Messages.Attach(message);
            }

            try
            {
                await DeliverAsync(db, smtp, hasher, message, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The row went while it was being sent (its subject was erased): nothing of it is left to update, and
                // the rest of the batch must not wait out its lease because of it.
                db.ChangeTracker.Clear();
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever failed here, the messages not yet tried go back to the queue now rather than after the lease.
                var untried = messages.Skip(next + 1).Select(m => m.Id).ToList();
                await db.Messages.Where(m => untried.Contains(m.Id) && m.Status == DeliveryStatus.Queued)
                    .ExecuteUpdateAsync(update => update.SetProperty(m => m.NextAttemptAt, clock.GetUtcNow()), CancellationToken.None);
                throw;
            }
        }

        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }

        return messages.Count;
    }

    private async Task DeliverAsync(NotificationsDbContext db, SmtpClient smtp, AddressHasher hasher, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (message.Kind == MessageKind.Marketing && !await MarketingStillAllowedAsync(db, hasher, message, cancellationToken))
        {
            // Consent withdrawn, restricted, objected to or unsubscribed since it was queued: the latest choice wins.
            message.Status = DeliveryStatus.Failed;
            message.LastError = "Not sent: marketing is no longer allowed for this recipient.";
            return;
        }

        message.Attempts++;
        try
        {
            await _smtpRetry.ExecuteAsync(async token =>
            {
                if (!smtp.IsConnected)
                {
                    await smtp.ConnectAsync(settings.Host, settings.Port, settings.Security, token);
                    if (!string.IsNullOrEmpty(settings.UserName))
                    {
                        await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", token);
                    }
                }

                await smtp.SendAsync(ToMime(message, settings), token);
            }, cancellationToken);

            message.Status = DeliveryStatus.Sent;
            message.SentAt = clock.GetUtcNow();
            message.LastError = null;
            if (message.PrivacyRequestId is { } requestId && PrivacyNotices.NoticeOf(message.Kind) is { } notice)
            {
                // Saved with the Sent mark, in one transaction: PrivacyRights hears of exactly the notices the relay took.
                db.AddIntegrationEvent(new PrivacyNoticeDelivered(requestId, notice, message.SentAt.Value), clock);
            }

            message.ForgetSecret();
            ForgetRecipientIfErased(message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            message.LastError = $"{exception.GetType().Name}: {exception.Message}";
            if (message.Attempts >= settings.MaxAttempts)
            {
                message.Status = DeliveryStatus.Failed;
                message.ForgetSecret();
                LogGaveUp(message.Id, message.Attempts);
                if (message.PrivacyRequestId is { } requestId && PrivacyNotices.NoticeOf(message.Kind) is { } notice)
                {
                    // The exception's type, never its text: a relay's refusal often quotes the address it refused.
                    db.AddIntegrationEvent(
                        new PrivacyNoticeFailed(requestId, notice, $"Not sent after {message.Attempts} attempts ({exception.GetType().Name}).", clock.GetUtcNow()),
                        clock);
                }

                ForgetRecipientIfErased(message);
            }
            else
            {
                var backOff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, message.Attempts)));
                message.NextAttemptAt = clock.GetUtcNow() + backOff;
            }

            if (smtp.IsConnected)
            {
                await smtp.DisconnectAsync(quit: false, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// A message without a subject went to someone every service has forgotten; once it is done with, its address (and
    /// any relay error, which may quote it) goes too, so no table holds it.
    /// </summary>
    private static void ForgetRecipientIfErased(OutgoingMessage message)
    {
        if (message.SubjectId is not null)
        {
            return;
        }

        message.ToAddress = "";
        if (message.LastError is not null)
        {
            message.LastError = message.LastError.Split(':', 2)[0];
        }
    }

    private static async Task<bool> MarketingStillAllowedAsync(NotificationsDbContext db, AddressHasher hasher, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var settings = await db.SubjectSettings.AsNoTracking().SingleOrDefaultAsync(s => s.SubjectId == message.SubjectId, cancellationToken);
        var hash = hasher.Hash(message.ToAddress);
        return settings is not null && settings.AllowsMarketing()
            && !await db.SuppressionList.AnyAsync(s => s.AddressHash == hash, cancellationToken);
    }

    private static MimeMessage ToMime(OutgoingMessage message, SmtpOptions settings)
    {
        var mime = new MimeMessage
        {
            // Stable per message: a resend after a crash between the relay's OK and our bookkeeping carries the same id,
            // so mail systems can drop the duplicate.
            MessageId = $"{message.Id:N}@certometer",
            Subject = message.Subject,
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        mime.To.Add(MailboxAddress.Parse(message.ToAddress));
        if (message.UnsubscribeUrl is not null)
        {
            // RFC 8058 one-click unsubscribe, which mail clients show as an "Unsubscribe" button.
            mime.Headers.Add("List-Unsubscribe", $"<{message.UnsubscribeUrl}>");
            mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        return mime;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A mail sending pass failed; retrying")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} failed {Attempts} times and is marked Failed")]
    private partial void LogGaveUp(Guid messageId, int attempts);
}
