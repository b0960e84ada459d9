using Microsoft.EntityFrameworkCore;

namespace Certometer.Persistence;

/// <summary>How a service changes its database in one transaction that the retrying execution strategy can replay whole.</summary>
public static class DbContextTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in a new transaction, all of it again on a transient failure. The work ends with
    /// <see cref="SaveAndCommitAsync"/> when it succeeds; returning without it rolls everything back.
    /// </summary>
    public static Task<TResult> InTransactionAsync<TResult>(
        this DbContext db, Func<CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        return db.Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                // A retried attempt must not carry tracked changes from the failed one.
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                return await work(ct);
            },
            cancellationToken);
    }

    /// <inheritdoc cref="InTransactionAsync{TResult}"/>
    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return db.InTransactionAsync(
            async ct =>
            {
                await work(ct);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Saves the tracked changes and commits the transaction <see cref="InTransactionAsync{TResult}"/> began.</summary>
    public static async Task SaveAndCommitAsync(this DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.CommitTransactionAsync(cancellationToken);
    }
}
