using Certometer.Persistence;
using Certometer.PrivacyRights.Data;

namespace Certometer.PrivacyRights.Requests;

/// <summary>How every change to a request is made: under that request's lock, with its audit entry and event, in one commit.</summary>
internal static class RequestChanges
{
    /// <summary>
    /// Runs <paramref name="change"/> in a transaction that holds the lock of <paramref name="lockId"/> (the request
    /// changed; for an intake, the subject, whose open requests the duplicate check reads) from its first statement.
    /// The change reads the request after the lock, so two officers acting at once cannot both approve, and calls
    /// <see cref="DbContextTransactions.SaveAndCommitAsync"/> only on success: returning without it rolls everything back.
    /// </summary>
    public static Task<TResult> RunAsync<TResult>(
        PrivacyRightsDbContext db, Guid lockId, Func<CancellationToken, Task<TResult>> change, CancellationToken cancellationToken) =>
        RunLockedAsync(db, ct => RequestLocks.OneAsync(db, lockId, ct), change, cancellationToken);

    /// <summary>Runs a change that may touch any request (decommissioning a holder), with every other change held off.</summary>
    public static Task<TResult> RunExclusiveAsync<TResult>(
        PrivacyRightsDbContext db, Func<CancellationToken, Task<TResult>> change, CancellationToken cancellationToken) =>
        RunLockedAsync(db, ct => RequestLocks.AllAsync(db, ct), change, cancellationToken);

    private static Task<TResult> RunLockedAsync<TResult>(
        PrivacyRightsDbContext db, Func<CancellationToken, Task> takeLock, Func<CancellationToken, Task<TResult>> change, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            async ct =>
            {
                await takeLock(ct);
                return await change(ct);
            },
            cancellationToken);
}
