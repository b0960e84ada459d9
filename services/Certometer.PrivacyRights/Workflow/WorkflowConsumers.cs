using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Inbox;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Workflow;

// The answers the workflow waits for. Each is applied once (inbox) under its request's lock, in one transaction
// with the state change, its audit entries and whatever the next step sends.

/// <summary>Runs one answer against its request under that request's lock; an answer for no known request is dropped.</summary>
internal abstract class WorkflowAnswerConsumer<TAnswer>(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : IdempotentConsumer<TAnswer, PrivacyRightsDbContext>(db)
    where TAnswer : class
{
    protected RequestWorkflow Workflow { get; } = workflow;

    protected abstract Guid RequestIdOf(TAnswer answer);

    protected abstract Task ApplyAsync(PrivacyRequest request, TAnswer answer, DateTimeOffset now, CancellationToken cancellationToken);

    protected sealed override async Task HandleOnceAsync(ConsumeContext<TAnswer> context, CancellationToken cancellationToken)
    {
        await RequestLocks.OneAsync(Db, RequestIdOf(context.Message), cancellationToken);
        var request = await Db.Requests.SingleOrDefaultAsync(r => r.Id == RequestIdOf(context.Message), cancellationToken);
        if (request is null)
        {
            return;
        }

        await ApplyAsync(request, context.Message, RequestChanges.Now(clock), cancellationToken);
    }
}

internal sealed class AccountLockedConsumer(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : WorkflowAnswerConsumer<AccountLocked>(db, workflow, clock)
{
    protected override Guid RequestIdOf(AccountLocked answer) => answer.RequestId;

    protected override Task ApplyAsync(PrivacyRequest request, AccountLocked answer, DateTimeOffset now, CancellationToken cancellationToken) =>
        Workflow.OnAccountLockedAsync(request, answer, now, cancellationToken);
}

internal sealed class SubjectErasedConsumer(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : WorkflowAnswerConsumer<SubjectErased>(db, workflow, clock)
{
    protected override Guid RequestIdOf(SubjectErased answer) => answer.RequestId;

    protected override Task ApplyAsync(PrivacyRequest request, SubjectErased answer, DateTimeOffset now, CancellationToken cancellationToken) =>
        request.Kind == PrivacyRequestKind.Erasure
            ? Workflow.OnHolderAnsweredAsync(request, answer.Service, answer.Receipt, part: null, now, cancellationToken)
            : Task.CompletedTask;
}

internal sealed class SubjectDataExportedConsumer(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : WorkflowAnswerConsumer<SubjectDataExported>(db, workflow, clock)
{
    protected override Guid RequestIdOf(SubjectDataExported answer) => answer.RequestId;

    protected override Task ApplyAsync(PrivacyRequest request, SubjectDataExported answer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Kind is not (PrivacyRequestKind.Access or PrivacyRequestKind.Portability))
        {
            return Task.CompletedTask;
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
        return Workflow.OnHolderAnsweredAsync(request, answer.Service, new { answer.RecordCount, answer.ExportedAt }, part, now, cancellationToken);
    }
}

internal sealed class ProcessingRestrictionAppliedConsumer(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : WorkflowAnswerConsumer<ProcessingRestrictionApplied>(db, workflow, clock)
{
    protected override Guid RequestIdOf(ProcessingRestrictionApplied answer) => answer.RequestId;

    protected override Task ApplyAsync(PrivacyRequest request, ProcessingRestrictionApplied answer, DateTimeOffset now, CancellationToken cancellationToken) =>
        request.Kind == PrivacyRequestKind.Restriction
            ? Workflow.OnHolderAnsweredAsync(request, answer.Service, new { answer.AppliedAt }, part: null, now, cancellationToken)
            : Task.CompletedTask;
}

internal sealed class ProcessingRestrictionLiftedConsumer(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : WorkflowAnswerConsumer<ProcessingRestrictionLifted>(db, workflow, clock)
{
    protected override Guid RequestIdOf(ProcessingRestrictionLifted answer) => answer.RequestId;

    protected override Task ApplyAsync(PrivacyRequest request, ProcessingRestrictionLifted answer, DateTimeOffset now, CancellationToken cancellationToken) =>
        request.Kind == PrivacyRequestKind.RestrictionLift
            ? Workflow.OnHolderAnsweredAsync(request, answer.Service, new { answer.LiftedAt }, part: null, now, cancellationToken)
            : Task.CompletedTask;
}

internal sealed class PrivacyNoticeDeliveredConsumer(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : WorkflowAnswerConsumer<PrivacyNoticeDelivered>(db, workflow, clock)
{
    protected override Guid RequestIdOf(PrivacyNoticeDelivered answer) => answer.RequestId;

    protected override Task ApplyAsync(PrivacyRequest request, PrivacyNoticeDelivered answer, DateTimeOffset now, CancellationToken cancellationToken) =>
        Workflow.OnNoticeDeliveredAsync(request, answer.Notice, now, cancellationToken);
}

internal sealed class PrivacyNoticeFailedConsumer(PrivacyRightsDbContext db, RequestWorkflow workflow, TimeProvider clock)
    : WorkflowAnswerConsumer<PrivacyNoticeFailed>(db, workflow, clock)
{
    protected override Guid RequestIdOf(PrivacyNoticeFailed answer) => answer.RequestId;

    protected override Task ApplyAsync(PrivacyRequest request, PrivacyNoticeFailed answer, DateTimeOffset now, CancellationToken cancellationToken) =>
        Workflow.OnNoticeFailedAsync(request, answer.Notice, now, cancellationToken);
}
