using System.Text.Json;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.Notifications.Data;
using Certometer.Notifications.Marketing;
using Certometer.Notifications.Recipients;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Notifications.PersonalData;

/// <summary>What Notifications does with a subject's contact details, preferences and message history for each right.</summary>
internal sealed class NotificationsSubjectData(NotificationsDbContext db, AddressHasher hasher, TimeProvider clock)
    : ISubjectDataExporter, ISubjectDataEraser, IProcessingRestriction, ISubjectDataRectifier
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var recipient = await db.Recipients.AsNoTracking().SingleOrDefaultAsync(r => r.SubjectId == subjectId, cancellationToken);
        var settings = await db.SubjectSettings.AsNoTracking().SingleOrDefaultAsync(s => s.SubjectId == subjectId, cancellationToken);
        var messages = await db.Messages.AsNoTracking().Where(m => m.SubjectId == subjectId).OrderBy(m => m.CreatedAt)
            .Select(m => new { kind = m.Kind.ToString(), m.Subject, toAddress = m.ToAddress, status = m.Status.ToString(), queuedAt = m.CreatedAt, m.SentAt })
            .ToListAsync(cancellationToken);
        var part = new
        {
            contactDetails = recipient is null ? null : new { recipient.Email, recipient.Name, recipient.PreferredLanguage },
            preferences = settings is null ? null : new { marketingEmails = settings.MarketingConsent, settings.ConsentRecordedAt, settings.Restricted, settings.MarketingObjectedAt },
            messageHistory = messages,
        };
        var records = (recipient is null ? 0 : 1) + (settings is null ? 0 : 1) + messages.Count;
        return new SubjectDataExport(JsonSerializer.Serialize(part, Json), records);
    }

    public async Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var recipient = await db.Recipients.SingleOrDefaultAsync(r => r.SubjectId == subjectId, cancellationToken);
        var suppressed = 0;
        if (recipient is not null)
        {
            var hash = hasher.Hash(recipient.Email);
            suppressed = await db.SuppressionList.CountAsync(s => s.AddressHash == hash, cancellationToken);
            db.Recipients.Remove(recipient);
        }

        var messages = await db.Messages.Where(m => m.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);
        var settings = await db.SubjectSettings.Where(s => s.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);
        var inventory = NotificationsPersonalData.Inventory.Categories.Single(c => c.Name == "marketing-suppression");
        List<ErasureReceiptLine> lines =
        [
            new("contact-details", ErasureAction.Erase, recipient is null ? 0 : 1),
            new("message-history", ErasureAction.Erase, messages),
            new("preferences", ErasureAction.Erase, settings),
        ];
        if (suppressed > 0)
        {
            lines.Add(new ErasureReceiptLine(
                "marketing-suppression",
                ErasureAction.Retain,
                suppressed,
                inventory.RetentionLegalBasis,
                DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(inventory.RetentionMonths ?? 120)));
        }

        return lines;
    }

    public Task RestrictAsync(Guid subjectId, CancellationToken cancellationToken) => SetRestrictedAsync(subjectId, true, cancellationToken);

    public Task LiftAsync(Guid subjectId, CancellationToken cancellationToken) => SetRestrictedAsync(subjectId, false, cancellationToken);

    public async Task RectifyAsync(Guid subjectId, IReadOnlyDictionary<string, string?> changedFields, CancellationToken cancellationToken)
    {
        var recipient = await db.Recipients.SingleOrDefaultAsync(r => r.SubjectId == subjectId, cancellationToken);
        if (recipient is null)
        {
            return;
        }

        // From now on only: messages already queued keep the address they were rendered for.
        if (changedFields.TryGetValue("email", out var email) && !string.IsNullOrWhiteSpace(email))
        {
            recipient.Email = email;
            await MarketingObjections.SuppressIfObjectedAsync(db, hasher, subjectId, email, clock.GetUtcNow(), cancellationToken);
        }

        if (changedFields.TryGetValue("name", out var name) && !string.IsNullOrWhiteSpace(name))
        {
            recipient.Name = name;
        }

        if (changedFields.TryGetValue("preferredLanguage", out var language))
        {
            recipient.PreferredLanguage = language;
        }
    }

    private async Task SetRestrictedAsync(Guid subjectId, bool restricted, CancellationToken cancellationToken)
    {
        var settings = await SubjectSettingsStore.GetOrAddAsync(db, subjectId, cancellationToken);
        settings.Restricted = restricted;
    }
}
