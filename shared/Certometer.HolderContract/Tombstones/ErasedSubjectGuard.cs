using System.Data.Common;
using Certometer.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Certometer.HolderContract.Tombstones;

/// <summary>
/// Refuses every database transaction that acts for an erased subject: the subject of the event being consumed
/// (<see cref="ActFor"/>) or the person calling the API. Runs as the transaction begins, under the subject's shared
/// advisory lock (see <see cref="ErasureTombstones"/>), so no write can slip in beside an erasure.
/// </summary>
internal sealed class ErasedSubjectGuard(ErasureTombstones tombstones, IHttpContextAccessor http)
    : DbTransactionInterceptor, ISaveChangesInterceptor
{
    private static readonly AsyncLocal<Guid?> EventSubject = new();

    /// <summary>Marks the work that follows, on this async flow, as done for <paramref name="subjectId"/> until disposed.</summary>
    public static IDisposable ActFor(Guid subjectId)
    {
        var outer = EventSubject.Value;
        EventSubject.Value = subjectId;
        return new Restore(outer);
    }

    private Guid? ActingSubject => EventSubject.Value ?? CallerSubject.Of(http.HttpContext?.User);

    public override async ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        if (ActingSubject is { } subject)
        {
            await RefuseIfErasedAsync(connection, result, subject, cancellationToken);
        }

        return result;
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        if (ActingSubject is { } subject)
        {
            RefuseIfErasedAsync(connection, result, subject, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    // A single-statement SaveChanges runs without a transaction by default, and so without the check above.
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AlwaysInTransaction(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AlwaysInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void AlwaysInTransaction(DbContext? context)
    {
        if (context is not null && ActingSubject is not null)
        {
            context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        }
    }

    private async Task RefuseIfErasedAsync(DbConnection connection, DbTransaction transaction, Guid subject, CancellationToken cancellationToken)
    {
        var key = tombstones.KeyOf(subject);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The lock is taken in FROM, before the lookup, so the lookup sees any erasure that held it.
        command.CommandText =
            "SELECT EXISTS (SELECT 1 FROM erasure_tombstones WHERE subject_key = $1) FROM (SELECT pg_advisory_xact_lock_shared($2)) AS locked";
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = ErasureTombstones.LockOf(key) });
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            throw new SubjectErasedException();
        }
    }

    private sealed class Restore(Guid? outer) : IDisposable
    {
        public void Dispose() => EventSubject.Value = outer;
    }
}

/// <summary>Work for a subject this service has erased was refused; nothing of it was written.</summary>
public sealed class SubjectErasedException()
    : InvalidOperationException("The subject this work is for was erased here; it is dropped so the erasure holds.");
