using System.Security.Cryptography;
using Certometer.HolderContract.Sealing;
using Certometer.HolderContract.Tombstones;
using Certometer.PrivacyRights.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.SubjectKeys;

/// <summary>
/// The platform's one store of subject keys: PrivacyRights uses it directly, every other service through
/// <see cref="SubjectKeyEndpoints"/>. Destroying a subject's key is what makes every sealed copy of their data unreadable.
/// </summary>
public sealed class SubjectKeyStore(IServiceScopeFactory scopes, ErasureTombstones pseudonyms, IOptions<SubjectKeyOptions> options, TimeProvider clock)
    : ISubjectKeyring
{
    private readonly SubjectKeyOptions _options = options.Value;

    // Decoded once: every seal and open in PrivacyRights, and every other service's key request, unwraps a key.
    private readonly Dictionary<string, byte[]> _masterKeys = options.Value.MasterKeys.ToDictionary(
        entry => entry.Key, entry => Convert.FromBase64String(entry.Value), StringComparer.Ordinal);

    public async ValueTask<byte[]?> GetOrCreateAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        var pseudonym = pseudonyms.KeyOf(subjectId);
        if (await FindRowAsync(db, pseudonym, cancellationToken) is { } existing)
        {
            return Unwrap(existing);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var masterKeyId = _options.CurrentMasterKey!;
        // Two services sealing the subject's first events at once both get the key that won the insert.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO subject_keys (pseudonym, wrapped_key, master_key_id, created_at)
            VALUES ({pseudonym}, {Wrap(key, pseudonym, masterKeyId)}, {masterKeyId}, {clock.GetUtcNow()})
            ON CONFLICT (pseudonym) DO NOTHING
            """,
            cancellationToken);
        return Unwrap((await FindRowAsync(db, pseudonym, cancellationToken))!);
    }

    public async ValueTask<byte[]?> FindAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        return await FindRowAsync(db, pseudonyms.KeyOf(subjectId), cancellationToken) is { } row ? Unwrap(row) : null;
    }

    /// <summary>Whether the subject had a key and it was destroyed: what tells "erased" from "never sealed for".</summary>
    public async Task<bool> WasDestroyedAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        return await FindRowAsync(db, pseudonyms.KeyOf(subjectId), cancellationToken) is { WrappedKey: null };
    }

    /// <summary>
    /// Destroys the subject's key inside <paramref name="db"/>'s transaction, leaving a keyless row so that no key is
    /// ever made for them again; a subject who never had one gets the keyless row all the same.
    /// </summary>
    public Task DestroyAsync(PrivacyRightsDbContext db, Guid subjectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var now = clock.GetUtcNow();
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO subject_keys (pseudonym, wrapped_key, master_key_id, created_at, destroyed_at)
            VALUES ({pseudonyms.KeyOf(subjectId)}, NULL, NULL, {now}, {now})
            ON CONFLICT (pseudonym) DO UPDATE SET wrapped_key = NULL, master_key_id = NULL, destroyed_at = excluded.destroyed_at
            """,
            cancellationToken);
    }

    /// <summary>Re-wraps up to one batch of keys still under an old master key; returns how many it re-wrapped.</summary>
    internal async Task<int> RewrapBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        var current = _options.CurrentMasterKey!;
        var stale = await db.SubjectKeys
            .Where(row => row.WrappedKey != null && row.MasterKeyId != current)
            .Take(_options.RewrapBatchSize)
            .ToListAsync(cancellationToken);
        foreach (var row in stale)
        {
            var key = Unwrap(row)!;
            row.WrappedKey = Wrap(key, row.Pseudonym, current);
            row.MasterKeyId = current;
        }

        await db.SaveChangesAsync(cancellationToken);
        return stale.Count;
    }

    private static Task<SubjectKey?> FindRowAsync(PrivacyRightsDbContext db, byte[] pseudonym, CancellationToken cancellationToken) =>
        db.SubjectKeys.AsNoTracking().FirstOrDefaultAsync(row => row.Pseudonym == pseudonym, cancellationToken);

    // The pseudonym is the associated data: a wrapped key copied onto another subject's row does not unwrap.
    private byte[] Wrap(byte[] key, byte[] pseudonym, string masterKeyId) => SealedBox.Seal(MasterKey(masterKeyId), key, pseudonym);

    private byte[]? Unwrap(SubjectKey row) =>
        row.WrappedKey is { } wrapped ? SealedBox.Open(MasterKey(row.MasterKeyId!), wrapped, row.Pseudonym) : null;

    private byte[] MasterKey(string id) =>
        _masterKeys.TryGetValue(id, out var key)
            ? key
            : throw new InvalidOperationException($"Subject keys are wrapped under master key '{id}', which PrivacyRights:SubjectKeys:MasterKeys no longer has.");
}
