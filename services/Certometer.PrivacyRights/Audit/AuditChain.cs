using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Certometer.Persistence;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Audit;

/// <summary>Appends to and verifies the one keyed hash chain that evidences every action on every request.</summary>
/// <remarks>
/// Each hash is an HMAC under <c>PrivacyRights:AuditChainKey</c>, which the database does not hold: whoever can only
/// write the database cannot recompute a hash after changing an entry, so a rewritten tail no longer verifies. What
/// the key cannot show is a tail cut off cleanly; the signed checkpoints outside the database
/// (<see cref="AuditCheckpoints"/>) show that.
/// </remarks>
public sealed class AuditChain(SubjectPseudonyms pseudonyms, IOptions<PrivacyRightsOptions> options)
{
    /// <summary>The actor the audit log records for steps PrivacyRights takes by itself (the workflow, package deliveries).</summary>
    public const string WorkflowActor = "privacy-rights-workflow";

    /// <summary>The previous hash of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    // Any fixed number: it only has to be the same for every writer of the chain ("PRIVAUDT").
    internal const long ChainLockKey = 0x5052_4956_4155_4454;

    private readonly byte[] _key = Convert.FromBase64String(options.Value.AuditChainKey);

    private long _stagedOrder;

    /// <summary>The database sequence that orders pending entries across every instance of the service.</summary>
    public const string PendingOrderSequence = "audit_pending_order";

    // How many pending entries one sealing transaction links: enough to drain a burst in a few commits, small enough
    // that the chain's lock is never held for long.
    private const int SealBatchSize = 500;

    /// <summary>
    /// Gives the entries staged in <paramref name="db"/> their order, just before they are saved: one round trip draws
    /// one number per entry, in the order they were staged. Run by <see cref="AuditChainSealing"/> on every save.
    /// </summary>
    internal static async Task OrderStagedAsync(PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        // Staged entries carry negative placeholders (the key must be unique while tracked), earlier ones closer to zero.
        var staged = db.ChangeTracker.Entries<PendingAuditEntry>()
            .Where(e => e.State == EntityState.Added && e.Entity.Order < 0)
            .OrderByDescending(e => e.Entity.Order)
            .ToList();
        if (staged.Count == 0)
        {
            return;
        }

        var numbers = await db.Database
            .SqlQuery<long>($"SELECT nextval({PendingOrderSequence}::regclass) AS \"Value\" FROM generate_series(1, {staged.Count})")
            .ToListAsync(cancellationToken);
        numbers.Sort();
        // A tracked entity's key cannot change, so each is taken out, given its number, and added again.
        foreach (var tracked in staged)
        {
            tracked.State = EntityState.Detached;
        }

        for (var i = 0; i < staged.Count; i++)
        {
            staged[i].Entity.Order = numbers[i];
            db.PendingAuditEntries.Add(staged[i].Entity);
        }
    }

    /// <summary>
    /// Links every committed pending entry into the chain, oldest first, under the chain's lock: reads the head, gives
    /// each entry the next sequence and its keyed hash, and removes it from the pending ones, a batch per transaction.
    /// The appender runs this after each commit that staged entries; readers of the chain run it before they read, so
    /// what they see includes every change committed before they asked.
    /// </summary>
    /// <remarks>
    /// A change therefore never waits for the chain: it commits its pending entries with its own lock only, and one
    /// short transaction links the entries of many changes at once. The price is the moment between a change's commit
    /// and its sealing, during which its entry is not yet under the key; the appender makes that moment milliseconds.
    /// </remarks>
    public async Task<int> SealPendingAsync(PrivacyRightsDbContext db, CancellationToken cancellationToken)
    {
        var sealedCount = 0;
        while (true)
        {
            var batch = await db.InTransactionAsync(
                async ct =>
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLockKey})", ct);
                    var pending = await db.PendingAuditEntries.OrderBy(e => e.Order).Take(SealBatchSize).ToListAsync(ct);
                    if (pending.Count == 0)
                    {
                        return 0;
                    }

                    var head = await db.AuditEntries.AsNoTracking()
                        .OrderByDescending(e => e.Sequence)
                        .Select(e => new { e.Sequence, e.Hash })
                        .FirstOrDefaultAsync(ct);
                    var sequence = head?.Sequence ?? 0;
                    var previous = head?.Hash ?? Genesis;
                    foreach (var staged in pending)
                    {
                        var entry = new AuditEntry
                        {
                            Sequence = ++sequence,
                            RequestId = staged.RequestId,
                            Action = staged.Action,
                            Actor = staged.Actor,
                            OccurredAt = staged.OccurredAt,
                            RequestStatus = staged.RequestStatus,
                            RequestStage = staged.RequestStage,
                            ReceiptDigest = staged.ReceiptDigest,
                            PreviousHash = previous,
                        };
                        entry.Hash = HashOf(entry);
                        previous = entry.Hash;
                        db.AuditEntries.Add(entry);
                    }

                    db.PendingAuditEntries.RemoveRange(pending);
                    await db.SaveAndCommitAsync(ct);
                    return pending.Count;
                },
                cancellationToken);
            db.ChangeTracker.Clear();
            sealedCount += batch;
            if (batch < SealBatchSize)
            {
                return sealedCount;
            }
        }
    }

    /// <summary>Stages an entry; it commits with the caller's SaveChanges, inside its transaction, and is linked into the chain after.</summary>
    public Task AppendAsync(
        PrivacyRightsDbContext db, Guid requestId, string action, string actorSubject, DateTimeOffset at, CancellationToken cancellationToken) =>
        AppendAsync(db, requestId, action, actorSubject, at, receiptJson: null, cancellationToken);

    /// <summary>
    /// Stages the next entry with the digest of <paramref name="receiptJson"/>, a holder's answer as it is stored, so
    /// the answer cannot later be changed without the chain showing it.
    /// </summary>
    public async Task AppendAsync(
        PrivacyRightsDbContext db,
        Guid requestId,
        string action,
        string actorSubject,
        DateTimeOffset at,
        string? receiptJson,
        CancellationToken cancellationToken)
    {
        var state = await StateOfAsync(db, requestId, cancellationToken);
        db.PendingAuditEntries.Add(new PendingAuditEntry
        {
            Order = -Interlocked.Increment(ref _stagedOrder),
            RequestId = requestId,
            Action = action,
            Actor = pseudonyms.Of(actorSubject),
            // PostgreSQL keeps microseconds; hash what will be read back, or every entry would fail verification.
            OccurredAt = StoredTime.AsStored(at),
            RequestStatus = state?.Status.ToString(),
            RequestStage = state?.Stage.ToString(),
            ReceiptDigest = receiptJson is null ? null : ReceiptDigestOf(receiptJson),
        });
    }

    /// <summary>
    /// Recomputes the chain from the first entry with the key, checks every recorded receipt against the answer kept
    /// for it, and checks the chain against <paramref name="lastCheckpoint"/>. Read the checkpoint first: the chain only
    /// grows after it was signed, so a chain read later that falls short of it was cut.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(
        PrivacyRightsDbContext db, AuditCheckpointReading? lastCheckpoint, CancellationToken cancellationToken)
    {
        var summary = lastCheckpoint is null
            ? null
            : new AuditCheckpointSummary(lastCheckpoint.File, lastCheckpoint.Checkpoint?.Sequence, lastCheckpoint.Checkpoint?.At);
        var expectedSequence = 1L;
        var expectedPrevious = Genesis;
        long count = 0;
        string? hashAtCheckpoint = null;
        var receipts = new List<AuditEntry>();
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (Misfit(entry, expectedSequence, expectedPrevious) is { } failed)
            {
                // A gap names the first missing number: that is where the chain stopped being whole.
                var broken = entry.Sequence > expectedSequence ? expectedSequence : entry.Sequence;
                return AuditVerification.Failed(count, broken, failed, summary);
            }

            if (entry.ReceiptDigest is not null)
            {
                receipts.Add(entry);
            }

            if (entry.Sequence == lastCheckpoint?.Checkpoint?.Sequence)
            {
                hashAtCheckpoint = entry.Hash;
            }

            expectedSequence++;
            expectedPrevious = entry.Hash;
        }

        // Answers are read after the entries: an entry seen above committed with its answer, so the answer is there.
        if (await FirstAlteredReceiptAsync(db, receipts, cancellationToken) is { } altered)
        {
            return AuditVerification.Failed(count, altered, AuditCheck.Receipt, summary);
        }

        if (lastCheckpoint is null)
        {
            return new AuditVerification(true, count, null, null, null, null);
        }

        if (lastCheckpoint.Checkpoint is not { } checkpoint || !lastCheckpoint.SignatureValid)
        {
            return AuditVerification.Failed(count, null, AuditCheck.CheckpointSignature, summary);
        }

        if (checkpoint.Sequence > count)
        {
            return AuditVerification.Failed(count, count + 1, AuditCheck.CheckpointTruncated, summary);
        }

        return hashAtCheckpoint == checkpoint.Hash
            ? new AuditVerification(true, count, null, null, null, summary)
            : AuditVerification.Failed(count, checkpoint.Sequence, AuditCheck.CheckpointHash, summary);
    }

    /// <summary>
    /// The head of the chain, provided it still extends <paramref name="from"/> (the entry at its sequence has its hash)
    /// and every entry after it links and hashes under the key; null <paramref name="from"/> checks from the first entry.
    /// What the checkpoint writer signs, so it never signs over a cut or rewritten chain.
    /// </summary>
    internal async Task<(bool Whole, AuditChainHead? Head)> VerifiedHeadAsync(
        PrivacyRightsDbContext db, AuditChainHead? from, CancellationToken cancellationToken)
    {
        var expectedSequence = 1L;
        var expectedPrevious = Genesis;
        var head = from;
        if (from is not null)
        {
            var anchored = await db.AuditEntries.AsNoTracking().AnyAsync(e => e.Sequence == from.Sequence && e.Hash == from.Hash, cancellationToken);
            if (!anchored)
            {
                return (false, null);
            }

            expectedSequence = from.Sequence + 1;
            expectedPrevious = from.Hash;
        }

        var after = expectedSequence - 1;
        await foreach (var entry in db.AuditEntries.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence)
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (Misfit(entry, expectedSequence, expectedPrevious) is not null)
            {
                return (false, null);
            }

            head = new AuditChainHead(entry.Sequence, entry.Hash);
            expectedSequence++;
            expectedPrevious = entry.Hash;
        }

        return (true, head);
    }

    /// <summary>
    /// The fields an entry's hash covers, as a JSON array: unambiguous, and stable across releases. Only its HMAC under
    /// the key is stored; a plain SHA-256 of it (what an intruder without the key could compute) does not verify.
    /// </summary>
    internal static byte[] CanonicalFieldsOf(AuditEntry entry)
    {
        string?[] canonical =
        [
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            entry.RequestId.ToString("D"),
            entry.Action,
            entry.Actor,
            entry.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            entry.RequestStatus,
            entry.RequestStage,
            entry.ReceiptDigest,
            entry.PreviousHash,
        ];
        return JsonSerializer.SerializeToUtf8Bytes(canonical);
    }

    /// <summary>
    /// SHA-256 of a holder's answer with its object keys in ordinal order and no whitespace. The answer is kept as
    /// jsonb, which reorders keys and respaces; the digest must not change when PostgreSQL hands it back.
    /// </summary>
    internal static string ReceiptDigestOf(string receiptJson)
    {
        var canonical = Canonical(JsonNode.Parse(receiptJson));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical?.ToJsonString() ?? "null")));
    }

    private string HashOf(AuditEntry entry) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, CanonicalFieldsOf(entry)));

    private AuditCheck? Misfit(AuditEntry entry, long expectedSequence, string expectedPrevious) =>
        entry.Sequence != expectedSequence ? AuditCheck.Sequence
        : entry.PreviousHash != expectedPrevious ? AuditCheck.Link
        : !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(entry.Hash), Encoding.ASCII.GetBytes(HashOf(entry))) ? AuditCheck.EntryHash
        : null;

    private static async Task<PrivacyRequestState?> StateOfAsync(PrivacyRightsDbContext db, Guid requestId, CancellationToken cancellationToken)
    {
        // The caller has usually just changed the request: its tracked copy holds the state this entry records.
        if (db.Requests.Local.FindEntry(requestId)?.Entity is { } tracked)
        {
            return new PrivacyRequestState(tracked.Status, tracked.Stage);
        }

        return await db.Requests.AsNoTracking()
            .Where(r => r.Id == requestId)
            .Select(r => new PrivacyRequestState(r.Status, r.Stage))
            .FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<long?> FirstAlteredReceiptAsync(
        PrivacyRightsDbContext db, List<AuditEntry> receipts, CancellationToken cancellationToken)
    {
        if (receipts.Count == 0)
        {
            return null;
        }

        var requestIds = receipts.Select(e => e.RequestId).Distinct().ToList();
        var answers = await db.HolderSteps.AsNoTracking()
            .Where(s => requestIds.Contains(s.RequestId) && s.Answer != null)
            .Select(s => new { s.RequestId, s.Service, s.Answer })
            .ToDictionaryAsync(s => (s.RequestId, s.Service), s => s.Answer!, cancellationToken);
        foreach (var entry in receipts)
        {
            // "Answered:<service>" and "Decommissioned:<service>": the entry names whose answer it recorded.
            var service = entry.Action[(entry.Action.IndexOf(':', StringComparison.Ordinal) + 1)..];
            if (!answers.TryGetValue((entry.RequestId, service), out var answer) || ReceiptDigestOf(answer) != entry.ReceiptDigest)
            {
                return entry.Sequence;
            }
        }

        return null;
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };

    private sealed record PrivacyRequestState(PrivacyRequestStatus Status, WorkflowStage Stage);
}

/// <summary>Which of the audit log's checks failed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditCheck>))]
public enum AuditCheck
{
    /// <summary>An entry is missing or out of place: the sequence has a gap.</summary>
    Sequence,

    /// <summary>An entry does not point at the hash of the entry before it.</summary>
    Link,

    /// <summary>An entry's keyed hash does not match its fields: it was changed, or written without the chain's key.</summary>
    EntryHash,

    /// <summary>A holder's answer kept in the database no longer matches the receipt digest its entry recorded.</summary>
    Receipt,

    /// <summary>The last checkpoint file is unreadable, or not signed with the checkpoint key.</summary>
    CheckpointSignature,

    /// <summary>The chain ends before the last signed checkpoint: entries it covered were removed.</summary>
    CheckpointTruncated,

    /// <summary>The entry at the last checkpoint's sequence no longer has the hash the checkpoint signed.</summary>
    CheckpointHash,
}

/// <summary>The result of verifying the audit chain with its key and against the last signed checkpoint.</summary>
/// <param name="FirstBrokenSequence">The first entry that does not match (or is missing), or null when none is named.</param>
/// <param name="FailedCheck">The first check that failed, or null when the chain is whole.</param>
/// <param name="LastCheckpoint">The checkpoint the chain was checked against, or null when none has been written yet.</param>
public sealed record AuditVerification(
    bool Valid, long Entries, long? FirstBrokenSequence, AuditCheck? FailedCheck, string? Problem, AuditCheckpointSummary? LastCheckpoint)
{
    internal static AuditVerification Failed(long entries, long? firstBroken, AuditCheck check, AuditCheckpointSummary? checkpoint) =>
        new(false, entries, firstBroken, check, ProblemOf(check), checkpoint);

    private static string ProblemOf(AuditCheck check) => check switch
    {
        AuditCheck.Sequence => "An entry is missing or out of place: the sequence has a gap.",
        AuditCheck.Link => "An entry does not point at the hash of the entry before it.",
        AuditCheck.EntryHash => "An entry's keyed hash does not match its fields: it was changed, or written without the chain's key.",
        AuditCheck.Receipt => "A holder's answer kept in the database no longer matches the receipt its entry recorded.",
        AuditCheck.CheckpointSignature => "The last checkpoint file is unreadable or not signed with the checkpoint key.",
        AuditCheck.CheckpointTruncated => "The chain ends before the last signed checkpoint: entries it covered were removed.",
        AuditCheck.CheckpointHash => "The entry at the last checkpoint's sequence no longer has the hash the checkpoint signed.",
        _ => check.ToString(),
    };
}

/// <summary>The newest entry of the chain, by its sequence and hash.</summary>
public sealed record AuditChainHead(long Sequence, string Hash);

/// <summary>The signed checkpoint a verification was checked against: its file and the head it signed.</summary>
public sealed record AuditCheckpointSummary(string File, long? Sequence, DateTimeOffset? At);
