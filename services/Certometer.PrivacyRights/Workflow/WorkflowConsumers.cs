using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Workflow;

// The answers the workflow waits for, each translated into a lifecycle signal. Each is applied once (inbox) under its
// request's lock, in one transaction with the state change, its audit entries and whatever the next step sends.

/// <summary>Runs one answer against its request under that request's lock; an answer for no known request is dropped.</summary>
internal abstract class WorkflowAnswerConsumer<TAnswer>(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : IdempotentConsumer<TAnswer, PrivacyRightsDbContext>(db)
    where TAnswer : class
{
    protected RequestLifecycle Lifecycle { get; } = lifecycle;

    protected abstract Guid RequestIdOf(TAnswer answer);

    /// <summary>The lifecycle event the answer is, or null when it does not concern a request of this kind.</summary>
    protected abstract RequestSignal? SignalFor(PrivacyRequest request, TAnswer answer);

    protected sealed override async Task HandleOnceAsync(ConsumeContext<TAnswer> context, CancellationToken cancellationToken)
    {
        await RequestLocks.OneAsync(Db, RequestIdOf(context.Message), cancellationToken);
        var request = await Db.Requests.SingleOrDefaultAsync(r => r.Id == RequestIdOf(context.Message), cancellationToken);
        if (request is null)
        {
            return;
        }

        if (SignalFor(request, context.Message) is { } signal)
        {
            await Lifecycle.FireAsync(request, signal, StoredTime.Now(clock), cancellationToken);
        }
    }
}

internal sealed class AccountLockedConsumer(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : WorkflowAnswerConsumer<AccountLocked>(db, lifecycle, clock)
{
    protected override Guid RequestIdOf(AccountLocked answer) => answer.RequestId;

    protected override RequestSignal SignalFor(PrivacyRequest request, AccountLocked answer) => new AccountLockAnswered(answer);
}

internal sealed class SubjectErasedConsumer(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : WorkflowAnswerConsumer<SubjectErased>(db, lifecycle, clock)
{
    protected override Guid RequestIdOf(SubjectErased answer) => answer.RequestId;

    protected override RequestSignal? SignalFor(PrivacyRequest request, SubjectErased answer) =>
        request.Kind == PrivacyRequestKind.Erasure ? new HolderAnswered(answer.Service, answer.Receipt) : null;
}

internal sealed class SubjectDataExportedConsumer(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : WorkflowAnswerConsumer<SubjectDataExported>(db, lifecycle, clock)
{
    protected override Guid RequestIdOf(SubjectDataExported answer) => answer.RequestId;

    protected override RequestSignal? SignalFor(PrivacyRequest request, SubjectDataExported answer)
    {
        if (request.Kind is not (PrivacyRequestKind.Access or PrivacyRequestKind.Portability))
        {
            return null;
        }

        var part = new ExportPart
        {
            RequestId = request.Id,
            Service = answer.Service,
            Content = answer.ContentJson,
            RecordCount = answer.RecordCount,
            ExportedAt = answer.ExportedAt,
        };
        // The step records only the count; the part itself waits in export_parts until the package is compiled.
        return new HolderAnswered(answer.Service, new { answer.RecordCount, answer.ExportedAt }, part);
    }
}

internal sealed class ProcessingRestrictionAppliedConsumer(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : WorkflowAnswerConsumer<ProcessingRestrictionApplied>(db, lifecycle, clock)
{
    protected override Guid RequestIdOf(ProcessingRestrictionApplied answer) => answer.RequestId;

    protected override RequestSignal? SignalFor(PrivacyRequest request, ProcessingRestrictionApplied answer) =>
        request.Kind == PrivacyRequestKind.Restriction ? new HolderAnswered(answer.Service, new { answer.AppliedAt }) : null;
}

internal sealed class ProcessingRestrictionLiftedConsumer(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : WorkflowAnswerConsumer<ProcessingRestrictionLifted>(db, lifecycle, clock)
{
    protected override Guid RequestIdOf(ProcessingRestrictionLifted answer) => answer.RequestId;

    protected override RequestSignal? SignalFor(PrivacyRequest request, ProcessingRestrictionLifted answer) =>
        request.Kind == PrivacyRequestKind.RestrictionLift ? new HolderAnswered(answer.Service, new { answer.LiftedAt }) : null;
}

internal sealed class PrivacyNoticeDeliveredConsumer(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : WorkflowAnswerConsumer<PrivacyNoticeDelivered>(db, lifecycle, clock)
{
    protected override Guid RequestIdOf(PrivacyNoticeDelivered answer) => answer.RequestId;

    protected override RequestSignal SignalFor(PrivacyRequest request, PrivacyNoticeDelivered answer) => new NoticeDelivered(answer.Notice);
}

internal sealed class PrivacyNoticeFailedConsumer(PrivacyRightsDbContext db, RequestLifecycle lifecycle, TimeProvider clock)
    : WorkflowAnswerConsumer<PrivacyNoticeFailed>(db, lifecycle, clock)
{
    protected override Guid RequestIdOf(PrivacyNoticeFailed answer) => answer.RequestId;

    protected override RequestSignal SignalFor(PrivacyRequest request, PrivacyNoticeFailed answer) => new NoticeFailed(answer.Notice);
}
