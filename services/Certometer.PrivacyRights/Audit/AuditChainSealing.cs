using System.Data.Common;
using System.Runtime.CompilerServices;
using Certometer.PrivacyRights.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Certometer.PrivacyRights.Audit;

/// <summary>
/// Orders the audit entries staged in PrivacyRights' context as they are saved, and wakes the appender
/// (<see cref="AuditChainAppender"/>) once they are committed, so they are linked into the chain within moments.
/// </summary>
internal sealed class AuditChainSealing(AuditChainAppender appender) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Entries saved inside an explicit transaction are invisible to the appender until it commits.
    private readonly ConditionalWeakTable<DbTransaction, object> _transactionsWithEntries = [];
    private readonly ConditionalWeakTable<DbContext, object> _contextsSavingEntries = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is PrivacyRightsDbContext db && StagesEntries(db))
        {
            await AuditChain.OrderStagedAsync(db, cancellationToken);
            _contextsSavingEntries.AddOrUpdate(db, this);
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is PrivacyRightsDbContext db && StagesEntries(db))
        {
            throw new InvalidOperationException("Audit entries are saved only with SaveChangesAsync, which gives them their order.");
        }

        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _contextsSavingEntries.Remove(context))
        {
            if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
            {
                _transactionsWithEntries.AddOrUpdate(transaction, this);
            }
            else
            {
                appender.Notify();
            }
        }

        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (_transactionsWithEntries.Remove(transaction))
        {
            appender.Notify();
        }
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    private static bool StagesEntries(PrivacyRightsDbContext db) =>
        db.ChangeTracker.Entries<PendingAuditEntry>().Any(e => e.State == EntityState.Added);
}
