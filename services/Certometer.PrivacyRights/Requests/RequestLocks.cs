using System.Buffers.Binary;
using Certometer.PrivacyRights.Data;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Requests;

/// <summary>
/// What a change to requests holds for the rest of its transaction, so that two changes of the same request (or two
/// intakes for the same subject) never interleave while changes of different ones run side by side.
/// </summary>
/// <remarks>
/// Every change takes one id's lock and, in shared mode, the lock over all requests; the rare change to many requests
/// at once (decommissioning a holder) takes that one exclusively instead. No change waits for the audit chain: its entries
/// commit as pending rows, which one appender links into the chain under the chain's own lock (see <see cref="Audit.AuditChain"/>). Locks are transaction-scoped
/// PostgreSQL advisory locks, so every instance of the service shares them and a crash releases them.
/// </remarks>
internal static class RequestLocks
{
    // Any fixed numbers, the same for every instance ("PRIVREQS", "PRRQ").
    private const long AllRequests = 0x5052_4956_5245_5153;
    private const int OneId = 0x5052_5251;

    /// <summary>Serialises changes keyed by <paramref name="id"/>: a request's, or a subject's intake.</summary>
    public static Task OneAsync(PrivacyRightsDbContext db, Guid id, CancellationToken cancellationToken)
    {
        EnsureTransaction(db);
        var key = KeyOf(id);
        // Left to right: the shared lock first, as the exclusive taker expects.
        return db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock_shared({AllRequests}), pg_advisory_xact_lock({OneId}, {key})", cancellationToken);
    }

    /// <summary>Waits for every change under way and holds off new ones until the caller's transaction ends.</summary>
    public static Task AllAsync(PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        EnsureTransaction(db);
        return db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AllRequests})", cancellationToken);
    }

    private static void EnsureTransaction(PrivacyRightsDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Request locks last for a transaction; begin one first.");
        }
    }

    // Stable across processes (unlike string hashes), so every instance maps an id to the same lock.
    private static int KeyOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes)
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[4..])
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[8..])
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
    }
}
