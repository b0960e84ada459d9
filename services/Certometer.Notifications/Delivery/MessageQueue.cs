using Certometer.Notifications.Data;
using Certometer.Notifications.Recipients;
using Certometer.Notifications.Templates;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.Delivery;

/// <summary>Renders a message for a recipient and queues it, once per fact (its deduplication key).</summary>
internal sealed class MessageQueue(NotificationsDbContext db, MessageTemplates templates, TimeProvider clock)
{
    /// <returns>False when a message for the same fact was queued before.</returns>
    /// <param name="toAddress">Where to write instead of the recipient's address, e.g. the one the subject gave with a privacy request.</param>
    /// <param name="privacyRequestId">For a notice PrivacyRights waits for: the request, so delivery is reported.</param>
    public Task<bool> EnqueueAsync(
        MessageKind kind,
        string deduplicationKey,
        Recipient recipient,
        IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken,
        string? unsubscribeUrl = null,
        string? toAddress = null,
        Guid? privacyRequestId = null) =>
        AddAsync(
            kind, deduplicationKey, recipient.SubjectId, toAddress ?? recipient.Email, recipient.Name, recipient.PreferredLanguage,
            values, unsubscribeUrl, privacyRequestId, cancellationToken);

    /// <summary>
    /// Queues a message to someone every service has already forgotten (an erasure's completion): no name, no subject
    /// id, and the address is blanked once the message is sent or given up on.
    /// </summary>
    /// <returns>False when a message for the same fact was queued before.</returns>
    public Task<bool> EnqueueToForgottenAsync(
        MessageKind kind,
        string deduplicationKey,
        string address,
        string? preferredLanguage,
        IReadOnlyDictionary<string, string> values,
        Guid? privacyRequestId,
        CancellationToken cancellationToken) =>
        AddAsync(kind, deduplicationKey, null, address, "", preferredLanguage, values, null, privacyRequestId, cancellationToken);

    private async Task<bool> AddAsync(
        MessageKind kind,
        string deduplicationKey,
        Guid? subjectId,
        string address,
        string name,
        string? preferredLanguage,
        IReadOnlyDictionary<string, string> values,
        string? unsubscribeUrl,
        Guid? privacyRequestId,
        CancellationToken cancellationToken)
    {
        if (await db.Messages.AnyAsync(m => m.DeduplicationKey == deduplicationKey, cancellationToken))
        {
            return false;
        }

        var model = new Dictionary<string, string>(values, StringComparer.Ordinal) { ["name"] = name };
        if (unsubscribeUrl is not null)
        {
            model["unsubscribe_url"] = unsubscribeUrl;
        }

        var rendered = templates.Render(kind, preferredLanguage, model);
        var now = clock.GetUtcNow();
        db.Messages.Add(new OutgoingMessage
        {
            DeduplicationKey = deduplicationKey,
            SubjectId = subjectId,
            Kind = kind,
            ToAddress = address,
            Language = rendered.Language,
            Subject = rendered.Subject,
            TextBody = rendered.TextBody,
            HtmlBody = rendered.HtmlBody,
            UnsubscribeUrl = unsubscribeUrl,
            PrivacyRequestId = privacyRequestId,
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
