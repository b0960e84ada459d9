using Certometer.Contracts.Privacy;
using Certometer.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Certometer.HolderContract;

/// <summary>
/// The copies of a subject's integration events that every holder's outbox keeps. Erased here, once for every service,
/// because every service has an outbox and any of its events may name the subject.
/// </summary>
public static class SentEventCopies
{
    /// <summary>The inventory category every holder declares (added at registration) and reports on every erasure receipt.</summary>
    public static PersonalDataCategory Category { get; } = new(
        Name: "sent-event-copies",
        Fields: ["subject id, and whatever else about the subject the service's integration events carried, in events already delivered or on their way"],
        Purpose: "Troubleshooting delivery; delivered events are deleted after Outbox:SentRetention anyway.",
        OnErasure: ErasureAction.Erase,
        Exported: false);

    /// <summary>
    /// Deletes the delivered events naming <paramref name="subjectId"/> and has those still on their way emptied once
    /// delivered (their consumers erase their own copies when asked); returns how many.
    /// </summary>
    public static Task<int> EraseAsync(DbContext db, Guid subjectId, CancellationToken cancellationToken) =>
        OutboxCopies.ForgetNamingAsync(db, [subjectId], otherValues: [], cancellationToken);
}
