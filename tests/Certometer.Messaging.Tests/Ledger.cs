using System.Collections.Concurrent;
using Certometer.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Messaging.Tests;

// A tiny two-sided domain for the messaging proofs: one service records deposits and announces them,
// another applies each announcement to its own table. Both sides use this context, each on its own database.

public sealed record DepositRecorded(Guid DepositId, decimal Amount);

public sealed class Deposit
{
    public Guid Id { get; init; }

    public decimal Amount { get; init; }
}

public sealed class AppliedDeposit
{
    public Guid Id { get; init; }

    public Guid DepositId { get; init; }
}

public sealed class LedgerDbContext(DbContextOptions<LedgerDbContext> options) : DbContext(options)
{
    public DbSet<Deposit> Deposits => Set<Deposit>();

    // Deliberately no unique index on DepositId: only the inbox stands between a duplicate delivery and a second row.
    public DbSet<AppliedDeposit> AppliedDeposits => Set<AppliedDeposit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.Entity<Deposit>().ToTable("deposits");
        modelBuilder.Entity<AppliedDeposit>().ToTable("applied_deposits");
    }
}

/// <summary>Applies each deposit once, however often it arrives; slow enough that concurrent duplicates overlap.</summary>
public sealed class DepositRecordedConsumer(LedgerDbContext db, DeliveryLog deliveries)
    : IdempotentConsumer<DepositRecorded, LedgerDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<DepositRecorded> context, CancellationToken cancellationToken)
    {
        Db.AppliedDeposits.Add(new AppliedDeposit { Id = Guid.NewGuid(), DepositId = context.Message.DepositId });
        await Task.Delay(deliveries.EffectDuration, cancellationToken);
    }
}

/// <summary>Counts every delivery the broker makes, duplicates included, before the inbox decides.</summary>
public sealed class DeliveryLog : IConsumeObserver
{
    private readonly ConcurrentQueue<Guid> _delivered = new();
    private readonly ConcurrentQueue<Exception> _faults = new();

    public TimeSpan EffectDuration { get; init; } = TimeSpan.Zero;

    public IReadOnlyCollection<Guid> DeliveredMessageIds => _delivered;

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
        {
            _delivered.Enqueue(id);
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class
    {
        _faults.Enqueue(exception);
        return Task.CompletedTask;
    }

    /// <summary>Consumer failures, retried ones included; shown when an assertion fails so the cause is visible.</summary>
    public IReadOnlyCollection<Exception> Faults => _faults;

    public override string ToString() =>
        $"{_delivered.Count} deliveries, faults: [{string.Join("; ", _faults.Select(f => $"{f.GetType().Name}: {f.Message}"))}]";
}
