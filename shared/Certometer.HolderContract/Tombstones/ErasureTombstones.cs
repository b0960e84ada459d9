using System.Buffers.Binary;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Certometer.Contracts.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.HolderContract.Tombstones;

/// <summary>
/// The keyed tombstones a holder keeps of the subjects it erased, so that nothing arriving later (a late or replayed event,
/// a write with a token issued before the erasure) can bring them back. A tombstone holds an HMAC of the subject id under a
/// key the database does not hold, never the id: the table alone names nobody.
/// </summary>
/// <remarks>
/// Erasure and every write for a subject meet on one PostgreSQL advisory lock derived from the tombstone: erasure takes it
/// exclusively before it deletes anything, writes take it shared as their transaction begins and then look for the
/// tombstone. A write that began first finishes before the erasure reads, so the erasure removes what it wrote; a write
/// that begins later waits for the erasure to commit and then finds the tombstone.
/// </remarks>
public sealed class ErasureTombstones(IOptions<ErasureTombstoneOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.TombstoneKey!);

    /// <summary>The inventory category every holder declares for its tombstones (added at registration).</summary>
    public static PersonalDataCategory Category { get; } = new(
        Name: "erasure-tombstones",
        Fields: ["a keyed hash of the ids of erased subjects (never the id itself)"],
        Purpose: "Keeps an erasure effective: later events and requests about an erased subject are dropped instead of recreating their data.",
        OnErasure: ErasureAction.Pseudonymise,
        Exported: false,
        RetentionLegalBasis: "Accountability for the erasure itself (GDPR art. 5(2), art. 17): without it, a replayed event would undo the erasure.",
        RetentionMonths: 1200);

    /// <summary>The subject's tombstone key: HMAC-SHA256 of the id.</summary>
    public byte[] KeyOf(Guid subjectId) => HMACSHA256.HashData(_key, subjectId.ToByteArray());

    /// <summary>The advisory lock that serialises erasure of, and writes for, one subject.</summary>
    public static long LockOf(byte[] tombstoneKey) => BinaryPrimitives.ReadInt64BigEndian(tombstoneKey);

    /// <summary>
    /// Takes the subject's lock exclusively and records the tombstone; call first in the erasure's transaction, before
    /// anything is read or deleted. Returns false when the subject was already erased here.
    /// </summary>
    public async Task<bool> RecordAsync(DbContext db, Guid subjectId, DateTimeOffset erasedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = KeyOf(subjectId);
        var lockId = LockOf(key);
        return await db.Database.ExecuteSqlAsync(
            $"""
            WITH locked AS (SELECT pg_advisory_xact_lock({lockId}))
            INSERT INTO erasure_tombstones (subject_key, erased_at)
            SELECT {key}, {erasedAt} FROM locked
            ON CONFLICT (subject_key) DO NOTHING
            """,
            cancellationToken) == 1;
    }

    /// <summary>Whether the subject was erased here (no lock taken: for reads and for refusing a caller up front).</summary>
    public Task<bool> IsErasedAsync(DbContext db, Guid subjectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = KeyOf(subjectId);
        return db.Database
            .SqlQuery<bool>($"SELECT EXISTS (SELECT 1 FROM erasure_tombstones WHERE subject_key = {key}) AS \"Value\"")
            .SingleAsync(cancellationToken);
    }
}

/// <summary>One erased subject, as a holder remembers it.</summary>
public sealed class ErasureTombstone
{
    public required byte[] SubjectKey { get; init; }

    public DateTimeOffset ErasedAt { get; init; }
}

/// <summary>The tombstones' key (section <c>PersonalData</c>).</summary>
public sealed class ErasureTombstoneOptions
{
    public const string SectionName = "PersonalData";

    /// <summary>
    /// The HMAC key of the tombstones. Secret, so the table cannot be checked against a list of known ids by someone who
    /// holds only the database; stable, because a new key forgets every earlier erasure.
    /// </summary>
    [Required(ErrorMessage = "PersonalData:TombstoneKey is required: the secret key of the erasure tombstones (32+ characters, never rotated casually).")]
    [MinLength(32, ErrorMessage = "PersonalData:TombstoneKey must be at least 32 characters.")]
    public string? TombstoneKey { get; set; }
}
