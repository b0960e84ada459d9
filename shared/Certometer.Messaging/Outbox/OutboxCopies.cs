using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging.Outbox;

/// <summary>The copies of integration events a service's outbox holds, as an erasure must treat them.</summary>
public static class OutboxCopies
{
    /// <summary>
    /// Leaves no readable copy of the events that name any of <paramref name="subjectIds"/> or contain any of
    /// <paramref name="otherValues"/> (an address): delivered ones are deleted now; ones not yet delivered still go
    /// out, and their payload is emptied the moment the broker confirms them. Returns how many were deleted or marked.
    /// </summary>
    /// <remarks>
    /// Marking first, deleting second: an event confirmed between the two statements is either marked (and emptied on
    /// confirmation) or already delivered when the delete runs, so none slips between them. Nothing waits for the
    /// dispatcher, so an erasure never has to be retried because its own service's events are still on their way.
    /// Delivered events are found by the ids they name (<see cref="OutboxMessage.Mentions"/>, indexed) and not by
    /// <paramref name="otherValues"/>: by the time one is delivered its personal values are sealed (or, for a secret,
    /// emptied), so no address is left in it to find. Only the few undelivered ones are read through.
    /// </remarks>
    public static async Task<int> ForgetNamingAsync(
        DbContext db, Guid[] subjectIds, string[] otherValues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var marked = await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE outbox_messages SET forget_payload_once_sent = true
            WHERE sent_at IS NULL AND NOT forget_payload_once_sent
              AND (mentions && {subjectIds}
                   OR EXISTS (SELECT 1 FROM unnest({otherValues}) AS v WHERE position(v in payload::text) > 0))
            """,
            cancellationToken);
        var deleted = await db.Database.ExecuteSqlAsync(
            $"DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND mentions && {subjectIds}",
            cancellationToken);
        return marked + deleted;
    }
}
