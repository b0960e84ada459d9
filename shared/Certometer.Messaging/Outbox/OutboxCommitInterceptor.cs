using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Certometer.Messaging.Outbox;

/// <summary>Signals the dispatcher when outbox rows become visible: after SaveChanges, or after the enclosing transaction commits.</summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Rows saved inside an explicit transaction are invisible to the dispatcher until commit.
    private readonly ConditionalWeakTable<DbTransaction, object> _transactionsWithOutboxRows = [];
    private readonly ConditionalWeakTable<DbContext, object> _contextsSavingOutboxRows = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        NoteOutboxRows(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        NoteOutboxRows(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        AfterSave(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        AfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => AfterCommit(transaction);

    public Task TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommit(transaction);
        return Task.CompletedTask;
    }

    private void NoteOutboxRows(DbContext? context)
    {
        if (context is not null
            && context.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == EntityState.Added))
        {
            _contextsSavingOutboxRows.AddOrUpdate(context, this);
        }
    }

    private void AfterSave(DbContext? context)
    {
        if (context is null || !_contextsSavingOutboxRows.TryGetValue(context, out _))
        {
            return;
        }

        _contextsSavingOutboxRows.Remove(context);
        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
        {
            _transactionsWithOutboxRows.AddOrUpdate(transaction, this);
        }
        else
        {
            signal.Notify();
        }
    }

    private void AfterCommit(DbTransaction transaction)
    {
        if (_transactionsWithOutboxRows.Remove(transaction))
        {
            signal.Notify();
        }
    }
}
