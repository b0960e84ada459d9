using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging.DeadLetters;

/// <summary>What other parts of a service may do with its parked dead letters.</summary>
public static class ParkedDeadLetters
{
    /// <summary>Deletes the dead letters whose message contains any of <paramref name="values"/> (a subject id, an address); returns how many.</summary>
    public static Task<int> DeleteNamingAsync(DbContext db, string[] values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ExecuteSqlAsync(
            $"DELETE FROM dead_letters WHERE EXISTS (SELECT 1 FROM unnest({values}) AS v WHERE position(v in body) > 0)",
            cancellationToken);
    }

    /// <summary>Asks for <paramref name="deadLetterId"/> to be sent back to its queue; false when no such dead letter is parked.</summary>
    /// <remarks>The same as an operator's <c>UPDATE dead_letters SET replay_requested_at = now() WHERE id = ...</c>.</remarks>
    public static async Task<bool> RequestReplayAsync(DbContext db, Guid deadLetterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Database.ExecuteSqlAsync(
            $"UPDATE dead_letters SET replay_requested_at = now() WHERE id = {deadLetterId}",
            cancellationToken) == 1;
    }
}
