using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract.Tombstones;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.HolderContract;

// Each consumer applies one right through the service's implementation and stages the answer to PrivacyRights
// in the outbox, all in the inbox transaction: a redelivered request neither acts twice nor answers twice.

/// <summary>
/// A request to this holder counts once per request, not per message: PrivacyRights asks a silent holder again with a
/// new message, and a holder that already acted (its answer still on its way, say behind a broker outage) must neither
/// act again nor send a second, emptier receipt that could reach PrivacyRights first. A repeated request meant for other
/// holders is ignored without a trace, so it can never stand in for the one this holder has yet to handle.
/// </summary>
internal abstract class HolderRequestConsumer<TRequest, TDbContext>(TDbContext db, PersonalDataInventory inventory)
    : IdempotentConsumer<TRequest, TDbContext>(db)
    where TRequest : class, IHolderRequest
    where TDbContext : DbContext
{
    protected PersonalDataInventory Inventory { get; } = inventory;

    protected override Guid IdempotencyKey(ConsumeContext<TRequest> context) => context.Message.RequestId;

    protected override bool IsMeantForThisConsumer(ConsumeContext<TRequest> context) => Inventory.IsAskedBy(context.Message);
}

internal sealed class PersonalDataInventoryRequestedConsumer<TDbContext>(
    TDbContext db, PersonalDataInventory inventory, TimeProvider clock)
    : IdempotentConsumer<PersonalDataInventoryRequested, TDbContext>(db)
    where TDbContext : DbContext
{
    protected override Task HandleOnceAsync(ConsumeContext<PersonalDataInventoryRequested> context, CancellationToken cancellationToken)
    {
        Db.AddIntegrationEvent(inventory.ToDeclaration(clock.GetUtcNow()), clock);
        return Task.CompletedTask;
    }
}

internal sealed class SubjectDataExportRequestedConsumer<TDbContext>(
    TDbContext db, ISubjectDataExporter exporter, PersonalDataInventory inventory, TimeProvider clock)
    : HolderRequestConsumer<SubjectDataExportRequested, TDbContext>(db, inventory)
    where TDbContext : DbContext
{
    protected override async Task HandleOnceAsync(ConsumeContext<SubjectDataExportRequested> context, CancellationToken cancellationToken)
    {
        var export = await exporter.ExportAsync(context.Message.SubjectId, cancellationToken);
        Db.AddIntegrationEvent(
            new SubjectDataExported(
                context.Message.RequestId, Inventory.Service, export.ContentJson, export.RecordCount, clock.GetUtcNow(), context.Message.SubjectId),
            clock);
    }
}

internal sealed class SubjectErasureRequestedConsumer<TDbContext>(
    TDbContext db, ISubjectDataEraser eraser, PersonalDataInventory inventory, ErasureTombstones tombstones, TimeProvider clock)
    : HolderRequestConsumer<SubjectErasureRequested, TDbContext>(db, inventory)
    where TDbContext : DbContext
{
    protected override async Task HandleOnceAsync(ConsumeContext<SubjectErasureRequested> context, CancellationToken cancellationToken)
    {
        // The tombstone first: from here on every other write for the subject waits for this transaction, then finds it.
        await tombstones.RecordAsync(Db, context.Message.SubjectId, clock.GetUtcNow(), cancellationToken);
        // Next, so a request that must wait for events in flight does no work before it is retried.
        var sentEventCopies = await SentEventCopies.EraseAsync(Db, context.Message.SubjectId, cancellationToken);
        var deadLetters = await DeadLetterCopies.EraseAsync(Db, context.Message.SubjectId, cancellationToken);
        IReadOnlyList<ErasureReceiptLine> lines =
        [
            .. await eraser.EraseAsync(context.Message.SubjectId, cancellationToken),
            new ErasureReceiptLine(SentEventCopies.Category.Name, ErasureAction.Erase, sentEventCopies),
            new ErasureReceiptLine(DeadLetterCopies.Category.Name, ErasureAction.Erase, deadLetters),
        ];
        var undocumented = lines.FirstOrDefault(line =>
            line.Action != ErasureAction.Erase && (string.IsNullOrWhiteSpace(line.LegalBasis) || line.RetainedUntil is null));
        if (undocumented is not null)
        {
            // A receipt that keeps data without saying why is not an answer PrivacyRights may accept; fail loudly.
            throw new InvalidOperationException(
                $"{Inventory.Service} kept '{undocumented.Category}' on erasure without a legal basis and retention end.");
        }

        Db.AddIntegrationEvent(
            new SubjectErased(context.Message.RequestId, Inventory.Service, new ErasureReceipt(lines, clock.GetUtcNow())),
            clock);
    }
}

internal sealed class ProcessingRestrictionRequestedConsumer<TDbContext>(
    TDbContext db, IProcessingRestriction restriction, PersonalDataInventory inventory, ErasureTombstones tombstones, TimeProvider clock)
    : HolderRequestConsumer<ProcessingRestrictionRequested, TDbContext>(db, inventory)
    where TDbContext : DbContext
{
    protected override async Task HandleOnceAsync(ConsumeContext<ProcessingRestrictionRequested> context, CancellationToken cancellationToken)
    {
        // An erased subject has nothing here to restrict, and a restriction flag would be a new row about them.
        if (!await tombstones.IsErasedAsync(Db, context.Message.SubjectId, cancellationToken))
        {
            await restriction.RestrictAsync(context.Message.SubjectId, cancellationToken);
        }

        Db.AddIntegrationEvent(new ProcessingRestrictionApplied(context.Message.RequestId, Inventory.Service, clock.GetUtcNow()), clock);
    }
}

internal sealed class ProcessingRestrictionLiftRequestedConsumer<TDbContext>(
    TDbContext db, IProcessingRestriction restriction, PersonalDataInventory inventory, ErasureTombstones tombstones, TimeProvider clock)
    : HolderRequestConsumer<ProcessingRestrictionLiftRequested, TDbContext>(db, inventory)
    where TDbContext : DbContext
{
    protected override async Task HandleOnceAsync(ConsumeContext<ProcessingRestrictionLiftRequested> context, CancellationToken cancellationToken)
    {
        if (!await tombstones.IsErasedAsync(Db, context.Message.SubjectId, cancellationToken))
        {
            await restriction.LiftAsync(context.Message.SubjectId, cancellationToken);
        }

        Db.AddIntegrationEvent(new ProcessingRestrictionLifted(context.Message.RequestId, Inventory.Service, clock.GetUtcNow()), clock);
    }
}

internal sealed class SubjectDataRectifiedConsumer<TDbContext>(TDbContext db, ISubjectDataRectifier rectifier)
    : IdempotentConsumer<SubjectDataRectified, TDbContext>(db)
    where TDbContext : DbContext
{
    protected override Task HandleOnceAsync(ConsumeContext<SubjectDataRectified> context, CancellationToken cancellationToken) =>
        rectifier.RectifyAsync(context.Message.SubjectId, context.Message.ChangedFields, cancellationToken);
}
