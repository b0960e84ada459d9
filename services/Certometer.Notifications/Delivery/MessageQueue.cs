using Certometer.Notifications.Data;
using Certometer.Notifications.Recipients;
using Certometer.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Delivery;

/// <summary>Renders a message for a recipient and queues it, once per fact (its deduplication key).</summary>
internal sealed class MessageQueue(NotificationsDbContext db, MessageTemplates templates, TimeProvider clock)
{
    /// <returns>False when a message for the same fact was queued before.</returns>
    public async Task<bool> EnqueueAsync(
        MessageKind kind,
        string deduplicationKey,
        Recipient recipient,
        IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken,
        string? unsubscribeUrl = null)
    {
        if (await db.Messages.AnyAsync(m => m.DeduplicationKey == deduplicationKey, cancellationToken))
        {
            return false;
        }

        var model = new Dictionary<string, string>(values, StringComparer.Ordinal) { ["name"] = recipient.Name };
        if (unsubscribeUrl is not null)
        {
            model["unsubscribe_url"] = unsubscribeUrl;
        }

        var rendered = templates.Render(kind, recipient.PreferredLanguage, model);
        var now = clock.GetUtcNow();
        db.Messages.Add(new OutgoingMessage
        {
            DeduplicationKey = deduplicationKey,
            SubjectId = recipient.SubjectId,
            Kind = kind,
            ToAddress = recipient.Email,
            Language = rendered.Language,
            Subject = rendered.Subject,
            TextBody = rendered.TextBody,
            HtmlBody = rendered.HtmlBody,
            UnsubscribeUrl = unsubscribeUrl,
            CreatedAt = now,
            NextAttemptAt = now,
        });
        return true;
    }
}

/// <summary>
/// A transactional message arrived for someone whose registration has not reached Notifications yet. Thrown so the
/// broker retries it and, if that never resolves, keeps it in the error queue: never dropped silently.
/// </summary>
public sealed class RecipientNotYetKnownException(Guid subjectId)
    : Exception($"No recipient {subjectId} yet; the registration event has not arrived.")
{
    public Guid SubjectId { get; } = subjectId;
}
