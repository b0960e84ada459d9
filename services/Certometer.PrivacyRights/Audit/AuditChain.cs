using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Audit;

/// <summary>Appends to and verifies the one hash chain that evidences every action on every request.</summary>
public sealed class AuditChain(SubjectPseudonyms pseudonyms)
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    // Any fixed number: it only has to be the same for every writer of the chain ("PRIVAUDT").
    private const long ChainLockKey = 0x5052_4956_4155_4454;

    /// <summary>
    /// Takes the chain's lock for the rest of the caller's transaction. Call it first, before reading the state the
    /// action depends on: appends are then strictly one after another (no fork, no gap), and so are the state
    /// changes they record.
    /// </summary>
    public static Task LockAsync(PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The audit chain is appended to only inside the transaction that makes the change.");
        }

        return db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLockKey})", cancellationToken);
    }

    /// <summary>Stages the next entry; it commits with the caller's SaveChanges. The caller must hold <see cref="LockAsync"/>.</summary>
    public async Task<AuditEntry> AppendAsync(
        PrivacyRightsDbContext db, Guid requestId, string action, string actorSubject, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // One transition can append several entries before it saves; the newest staged one is the head then.
        var staged = db.AuditEntries.Local.MaxBy(e => e.Sequence);
        var head = staged is not null
            ? new { staged.Sequence, staged.Hash }
            : await db.AuditEntries.AsNoTracking()
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash })
                .FirstOrDefaultAsync(cancellationToken);
        var sequence = (head?.Sequence ?? 0) + 1;
        var previousHash = head?.Hash ?? Genesis;
        // PostgreSQL keeps microseconds; hash what will be read back, or every entry would fail verification.
        var occurredAt = RequestChanges.AsStored(at);
        var actor = pseudonyms.Of(actorSubject);
        var entry = new AuditEntry
        {
            Sequence = sequence,
            RequestId = requestId,
            Action = action,
            Actor = actor,
            OccurredAt = occurredAt,
            PreviousHash = previousHash,
            Hash = HashOf(sequence, requestId, action, actor, occurredAt, previousHash),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Recomputes the chain from the first entry and names the first entry that does not fit.</summary>
    public static async Task<AuditVerification> VerifyAsync(PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        var expectedSequence = 1L;
        var expectedPrevious = Genesis;
        long count = 0;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            var fits = entry.Sequence == expectedSequence
                && entry.PreviousHash == expectedPrevious
                && entry.Hash == HashOf(entry.Sequence, entry.RequestId, entry.Action, entry.Actor, entry.OccurredAt, entry.PreviousHash);
            if (!fits)
            {
                // A gap names the first missing number: that is where the chain stopped being whole.
                var broken = entry.Sequence > expectedSequence ? expectedSequence : entry.Sequence;
                return new AuditVerification(false, count, broken);
            }

            expectedSequence++;
            expectedPrevious = entry.Hash;
        }

        return new AuditVerification(true, count, null);
    }

    /// <summary>SHA-256 over a JSON array of the entry's fields: unambiguous, and stable across releases.</summary>
    internal static string HashOf(long sequence, Guid requestId, string action, string actor, DateTimeOffset occurredAt, string previousHash)
    {
        string[] canonical =
        [
            sequence.ToString(CultureInfo.InvariantCulture),
            requestId.ToString("D"),
            action,
            actor,
            occurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            previousHash,
        ];
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(canonical))));
    }
}

/// <summary>The result of recomputing the audit chain.</summary>
/// <param name="FirstBrokenSequence">The first entry whose hash or link does not match, or null when the chain is whole.</param>
public sealed record AuditVerification(bool Valid, long Entries, long? FirstBrokenSequence);
