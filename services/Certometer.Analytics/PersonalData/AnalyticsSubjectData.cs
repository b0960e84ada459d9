using System.Text.Json;
using Certometer.Analytics.Collection;
using Certometer.Analytics.Data;
using Certometer.Analytics.Pseudonymity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Analytics.PersonalData;

/// <summary>What Analytics does with a subject's pseudonymous usage events and collection choices for each right.</summary>
/// <remarks>Every lookup goes through the pseudonym: the subject id arrives in the request and is never stored.</remarks>
internal sealed class AnalyticsSubjectData(AnalyticsDbContext db, Pseudonyms pseudonyms) : ISubjectDataExporter, ISubjectDataEraser, IProcessingRestriction
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var pseudonym = pseudonyms.Of(subjectId);
        var events = await db.UsageEvents.AsNoTracking()
            .Where(e => e.Pseudonym == pseudonym)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new
            {
                e.OccurredAt,
                e.Page,
                e.DeviceType,
                e.Browser,
                e.Language,
                e.TimeZone,
                e.ScreenWidth,
                e.ScreenHeight,
                e.Referrer,
                e.ExitPage,
                e.Location,
            })
            .ToListAsync(cancellationToken);
        var choice = await db.CollectionSwitches.AsNoTracking()
            .Where(s => s.Pseudonym == pseudonym)
            .Select(s => new { analyticsConsent = s.CollectionAllowed, choiceMadeAt = s.ChoiceMadeAt, processingRestricted = s.Restricted })
            .SingleOrDefaultAsync(cancellationToken);
        if (events.Count == 0 && choice is null)
        {
            return new SubjectDataExport("{}", 0);
        }

        var part = new { pseudonymousId = pseudonym, usageEvents = events, collectionChoices = choice };
        return new SubjectDataExport(JsonSerializer.Serialize(part, Json), events.Count + (choice is null ? 0 : 1));
    }

    public async Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var pseudonym = pseudonyms.Of(subjectId);
        var events = await db.UsageEvents.Where(e => e.Pseudonym == pseudonym).ExecuteDeleteAsync(cancellationToken);
        // With the switch gone, collection falls back to "no recorded consent": a token still in flight records nothing.
        var choices = await db.CollectionSwitches.Where(s => s.Pseudonym == pseudonym).ExecuteDeleteAsync(cancellationToken);
        return
        [
            new ErasureReceiptLine("usage-events", ErasureAction.Erase, events),
            new ErasureReceiptLine("collection-choices", ErasureAction.Erase, choices),
        ];
    }

    public Task RestrictAsync(Guid subjectId, CancellationToken cancellationToken) =>
        CollectionSwitches.SetRestrictedAsync(db, pseudonyms.Of(subjectId), restricted: true, cancellationToken);

    public Task LiftAsync(Guid subjectId, CancellationToken cancellationToken) =>
        CollectionSwitches.SetRestrictedAsync(db, pseudonyms.Of(subjectId), restricted: false, cancellationToken);
}
