using Certometer.Contracts.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Privacy;

/// <summary>
/// The copies of a subject's integration events that every holder's outbox keeps after delivery. Erased here, once for
/// every service, because every service has an outbox and any of its events may name the subject.
/// </summary>
public static class SentEventCopies
{
    /// <summary>The inventory category every holder declares (added at registration) and reports on every erasure receipt.</summary>
    public static PersonalDataCategory Category { get; } = new(
        Name: "sent-event-copies",
        Fields: ["subject id, and whatever else about the subject the service's integration events carried, in events already delivered"],
        Purpose: "Troubleshooting delivery; delivered events are deleted after Outbox:SentRetention anyway.",
        OnErasure: ErasureAction.Erase,
        Exported: false);

    /// <summary>Deletes the delivered events naming <paramref name="subjectId"/>; returns how many.</summary>
    /// <exception cref="SubjectEventsInFlightException">Some event naming the subject is still waiting to be published.</exception>
    /// <remarks>
    /// An event still in the outbox must reach its consumers (they erase their own copies when asked), and deleting it
    /// after it is sent is the only way to leave no copy behind; so erasure waits for it. Thrown, the request is
    /// redelivered with back-off and the whole erasure rolls back meanwhile; the dispatcher publishes within seconds.
    /// </remarks>
    public static async Task<int> EraseAsync(DbContext db, Guid subjectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var subject = subjectId.ToString();
        var unsent = await db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE sent_at IS NULL AND position({subject} in payload::text) > 0")
            .SingleAsync(cancellationToken);
        if (unsent > 0)
        {
            throw new SubjectEventsInFlightException(unsent);
        }

        return await DeleteDeliveredNamingAsync(db, [subject], cancellationToken);
    }

    /// <summary>
    /// Deletes the delivered events whose payload contains any of <paramref name="values"/> (a subject id, an address),
    /// in one pass over the outbox; events not yet delivered are left to reach their consumers.
    /// </summary>
    public static Task<int> DeleteDeliveredNamingAsync(DbContext db, string[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ExecuteSqlAsync(
            $"""
            DELETE FROM outbox_messages
            WHERE sent_at IS NOT NULL AND EXISTS (SELECT 1 FROM unnest({values}) AS v WHERE position(v in payload::text) > 0)
            """,
            cancellationToken);
    }
}

/// <summary>An erasure found events naming the subject not yet published; the request is retried once they are.</summary>
public sealed class SubjectEventsInFlightException(int unsent)
    : Exception($"{unsent} event(s) naming the subject are still in the outbox; the erasure waits until they are delivered.")
{
    public int Unsent { get; } = unsent;
}
