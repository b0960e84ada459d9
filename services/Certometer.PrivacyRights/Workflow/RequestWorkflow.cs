using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.DeadLetters;
using Certometer.Messaging.Outbox;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.SubjectKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>
/// The persisted workflow behind every right: each method is one transition, taken inside the caller's transaction
/// while it holds its request's lock, so the new state, its audit entries and the messages it sends commit
/// together or not at all. A transition that does not apply to the request's current state does nothing, which is
/// what makes a redelivered answer, a late answer and a second clock tick harmless.
/// </summary>
/// <remarks>
/// The state lives in the service's own <see cref="PrivacyRequest"/> and <see cref="HolderStep"/> rows, beside the
/// audit chain and the consent ledger it changes in the same commit, rather than in a separate saga store; messages
/// leave through the transactional outbox, answers arrive through inbox consumers and timeouts come from
/// <see cref="WorkflowClock"/>. Restarting any part loses nothing: every step is either committed or not taken.
/// </remarks>
internal sealed class RequestWorkflow(
    PrivacyRightsDbContext db,
    AuditChain audit,
    ConsentLedger consents,
    SubjectKeyStore subjectKeys,
    IOptions<WorkflowOptions> options,
    TimeProvider clock,
    ILogger<RequestWorkflow> logger)
{
    /// <summary>The actor the audit log records for steps the workflow takes by itself.</summary>
    public const string WorkflowActor = "privacy-rights-workflow";

    private WorkflowOptions Options => options.Value;

    /// <summary>
    /// A new request. An objection needs no decision: objecting to direct marketing is absolute (GDPR art. 21(3)) and
    /// analytics rests on consent or legitimate interest the subject may refuse, so it takes effect at once.
    /// </summary>
    public async Task OnReceivedAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Kind is PrivacyRequestKind.ObjectionToMarketing or PrivacyRequestKind.ObjectionToAnalytics)
        {
            await AppendAsync(request, "ApprovedAutomatically", now, cancellationToken);
            await ApproveAsync(request, now, cancellationToken);
        }
    }

    /// <summary>Approval: schedules the work, and starts it at once unless an erasure must first cool off.</summary>
    public async Task ApproveAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        request.Status = PrivacyRequestStatus.Approved;
        request.DecidedAt = now;
        request.WorkStartsAt = Options.WorkStartsAt(request.Kind, request.ReceivedAt, now);
        db.AddIntegrationEvent(new PrivacyRequestApproved(request.Id, request.SubjectId, request.Kind, now, request.Deadline), clock);
        if (request.WorkStartsAt <= now)
        {
            await StartAsync(request, now, cancellationToken);
        }
    }

    /// <summary>Starts approved work: an objection takes effect at once, an erasure locks the account first.</summary>
    public async Task StartAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Status != PrivacyRequestStatus.Approved)
        {
            return;
        }

        request.Status = PrivacyRequestStatus.InProgress;
        request.StartedAt = now;
        await AppendAsync(request, "Started", now, cancellationToken);
        switch (request.Kind)
        {
            case PrivacyRequestKind.Erasure:
                request.Stage = WorkflowStage.LockingAccount;
                request.AccountLockAskedAt = now;
                request.AccountLockAttempts = 1;
                request.AccountLockNextAskAt = Options.NextAskAt(now, 1);
                db.AddIntegrationEvent(new AccountLockRequested(request.Id, request.SubjectId, now), clock);
                await AppendAsync(request, "AccountLockRequested", now, cancellationToken);
                break;
            case PrivacyRequestKind.RestrictionLift:
                // Processing resumes only after Notifications confirms the subject was told (PrivacyNoticeDelivered);
                // it learns to tell them from the PrivacyRequestApproved staged at approval.
                request.Stage = WorkflowStage.TellingSubject;
                break;
            case PrivacyRequestKind.ObjectionToMarketing or PrivacyRequestKind.ObjectionToAnalytics:
                var purpose = request.Kind == PrivacyRequestKind.ObjectionToMarketing ? ObjectionPurpose.Marketing : ObjectionPurpose.Analytics;
                db.AddIntegrationEvent(new SubjectObjectedToProcessing(request.Id, request.SubjectId, purpose, now), clock);
                // Also a withdrawal in the consent ledger: services act on consent only as the ledger orders it, so no
                // consent given before the objection, however late its message, can switch the processing back on.
                await consents.RecordAsync(
                    request.SubjectId,
                    marketing: purpose == ObjectionPurpose.Marketing ? false : null,
                    analytics: purpose == ObjectionPurpose.Analytics ? false : null,
                    ConsentLedger.ObjectionSource,
                    now,
                    cancellationToken);
                await AppendAsync(request, "ObjectionPublished", now, cancellationToken);
                await CompleteAsync(request, now, cancellationToken);
                break;
            default:
                await AskHoldersAsync(request, now, cancellationToken);
                break;
        }
    }

    /// <summary>Identity locked the account (or found none): no new data can arrive, so the holders are asked to erase.</summary>
    public async Task OnAccountLockedAsync(PrivacyRequest request, AccountLocked locked, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Stage != WorkflowStage.LockingAccount)
        {
            return;
        }

        request.AccountLockedAt = now;
        // The address the subject gave for this request wins; otherwise the account's is the only way left to tell them.
        request.ContactEmail ??= locked.Email;
        request.PreferredLanguage = locked.PreferredLanguage;
        await AppendAsync(request, locked.AccountFound ? "AccountLocked" : "AccountNotFound", now, cancellationToken);
        await AskHoldersAsync(request, now, cancellationToken);
    }

    /// <summary>A holder answered. The first answer from each asked holder counts; any other is ignored.</summary>
    public async Task OnHolderAnsweredAsync(
        PrivacyRequest request, string service, object answer, ExportPart? part, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Stage != WorkflowStage.AwaitingHolders)
        {
            return;
        }

        var step = await db.HolderSteps.SingleOrDefaultAsync(s => s.RequestId == request.Id && s.Service == service, cancellationToken);
        if (step is null)
        {
            // A holder that declared itself after this request's holders were asked: it was not waited for.
            logger.LogWarning("Ignored an answer from {Service}, which was not asked for request {RequestId}.", service, request.Id);
            return;
        }

        if (step.AnsweredAt is not null)
        {
            return;
        }

        step.AnsweredAt = now;
        step.Answer = JsonSerializer.Serialize(answer, answer.GetType(), InventoryJson.Options);
        if (part is not null)
        {
            db.ExportParts.Add(part);
        }

        await audit.AppendAsync(db, request.Id, $"Answered:{service}", WorkflowActor, now, step.Answer, cancellationToken);
        var stillSilent = await db.HolderSteps.CountAsync(
            s => s.RequestId == request.Id && s.Service != service && s.AnsweredAt == null, cancellationToken);
        if (stillSilent == 0)
        {
            await CompleteAsync(request, now, cancellationToken);
        }
    }

    /// <summary>
    /// Compliance staff retired <paramref name="service"/>: it will never answer, so its step counts as answered (with the
    /// reason in place of a receipt) and the request completes if nobody else is silent.
    /// </summary>
    public async Task OnHolderDecommissionedAsync(
        PrivacyRequest request, string service, string reason, string officer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var step = await db.HolderSteps.SingleOrDefaultAsync(
            s => s.RequestId == request.Id && s.Service == service && s.AnsweredAt == null, cancellationToken);
        if (request.Stage != WorkflowStage.AwaitingHolders || step is null)
        {
            return;
        }

        step.AnsweredAt = now;
        step.Answer = JsonSerializer.Serialize(new { decommissioned = new { reason, at = now } }, InventoryJson.Options);
        await audit.AppendAsync(db, request.Id, $"Decommissioned:{service}", officer, now, step.Answer, cancellationToken);
        if (!await db.HolderSteps.AnyAsync(s => s.RequestId == request.Id && s.Service != service && s.AnsweredAt == null, cancellationToken))
        {
            await CompleteAsync(request, now, cancellationToken);
        }
    }

    /// <summary>Notifications handed a notice to the mail server: the step that waited for it may go on.</summary>
    public async Task OnNoticeDeliveredAsync(PrivacyRequest request, PrivacyNotice notice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (notice == PrivacyNotice.RestrictionLifting && request.Stage == WorkflowStage.TellingSubject)
        {
            await AppendAsync(request, "SubjectToldOfLifting", now, cancellationToken);
            await AskHoldersAsync(request, now, cancellationToken);
        }
        else if (notice == PrivacyNotice.RequestCompleted && request.Stage == WorkflowStage.NotifyingSubject)
        {
            await AppendAsync(request, "SubjectToldOfCompletion", now, cancellationToken);
            await CloseAsync(request, now, cancellationToken);
        }
    }

    /// <summary>
    /// Notifications gave up on a notice. A completed request closes without it, recording that the subject was not told,
    /// so the subject's id and address are not kept for a message that will never go. Lifting a restriction without
    /// telling the subject first is not allowed (GDPR art. 18(3)), so that request stays where it is and goes to staff.
    /// </summary>
    public async Task OnNoticeFailedAsync(PrivacyRequest request, PrivacyNotice notice, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (notice == PrivacyNotice.RequestCompleted && request.Stage == WorkflowStage.NotifyingSubject)
        {
            await AppendAsync(request, "SubjectNotToldOfCompletion:notice-failed", now, cancellationToken);
            await CloseAsync(request, now, cancellationToken);
        }
        else if (notice == PrivacyNotice.RestrictionLifting && request.Stage == WorkflowStage.TellingSubject)
        {
            await EscalateAsync(request, "notifications", "gave up telling the subject that their restriction is to be lifted", now, cancellationToken);
        }
    }

    /// <summary>The clock's view of one in-progress request: repeats every ask that has gone unanswered for too long.</summary>
    public async Task AskSilentAgainAsync(PrivacyRequest request, DateTimeOffset now, bool evenIfNotDue, CancellationToken cancellationToken)
    {
        if (request.Stage == WorkflowStage.WaitingForHolders)
        {
            await AskHoldersAsync(request, now, cancellationToken);
            return;
        }

        if (request.Stage == WorkflowStage.NotifyingSubject && request.CompletedAt < now - Options.NoticeTimeout)
        {
            await AppendAsync(request, "SubjectNotToldOfCompletion:timed-out", now, cancellationToken);
            await CloseAsync(request, now, cancellationToken);
            return;
        }

        // Staff asking by hand do not wait for the back-off.
        var dueBy = evenIfNotDue ? DateTimeOffset.MaxValue : now;
        if (request.Stage == WorkflowStage.LockingAccount && (request.AccountLockNextAskAt ?? request.AccountLockAskedAt) < dueBy)
        {
            request.AccountLockAskedAt = now;
            request.AccountLockAttempts++;
            request.AccountLockNextAskAt = Options.NextAskAt(now, request.AccountLockAttempts);
            db.AddIntegrationEvent(new AccountLockRequested(request.Id, request.SubjectId, now), clock);
            await AppendAsync(request, "AccountLockAskedAgain", now, cancellationToken);
            if (request.AccountLockAttempts > Options.EscalateAfterAttempts && request.EscalatedAt is null)
            {
                await EscalateAsync(request, "identity", $"has not answered after {request.AccountLockAttempts} asks", now, cancellationToken);
            }

            return;
        }

        if (request.Stage != WorkflowStage.AwaitingHolders)
        {
            return;
        }

        var silent = await db.HolderSteps
            .Where(s => s.RequestId == request.Id && s.AnsweredAt == null && s.NextAskAt < dueBy)
            .OrderBy(s => s.Service)
            .ToListAsync(cancellationToken);
        if (silent.Count == 0)
        {
            return;
        }

        foreach (var step in silent)
        {
            step.LastAskedAt = now;
            step.Attempts++;
            step.NextAskAt = Options.NextAskAt(now, step.Attempts);
            await AppendAsync(request, $"AskedAgain:{step.Service}", now, cancellationToken);
            if (step.Attempts > Options.EscalateAfterAttempts && step.EscalatedAt is null)
            {
                step.EscalatedAt = now;
                await EscalateAsync(request, step.Service, $"has not answered after {step.Attempts} asks", now, cancellationToken);
            }
        }

        // Only the silent holders act on the repeated request: the others ignore it, so none acts twice.
        PublishHolderRequest(request, [.. silent.Select(s => s.Service)], now);
    }

    private async Task AskHoldersAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var holders = await db.PersonalDataHolders.AsNoTracking().Select(h => h.Service).OrderBy(s => s).ToListAsync(cancellationToken);
        var missing = Options.RequiredHolders.Except(holders, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (holders.Count == 0 || missing.Count > 0)
        {
            // Asking an incomplete registry would complete the request having reached only part of the company.
            if (request.Stage != WorkflowStage.WaitingForHolders)
            {
                request.Stage = WorkflowStage.WaitingForHolders;
                await AppendAsync(request, $"RegistryIncomplete:{(missing.Count == 0 ? "none-declared" : string.Join(',', missing))}", now, cancellationToken);
                await EscalateAsync(request, "registry", "lacks a required holder", now, cancellationToken);
            }

            return;
        }

        request.Stage = WorkflowStage.AwaitingHolders;
        foreach (var service in holders)
        {
            db.HolderSteps.Add(new HolderStep
            {
                RequestId = request.Id, Service = service, FirstAskedAt = now, LastAskedAt = now, NextAskAt = Options.NextAskAt(now, 1), Attempts = 1,
            });
        }

        PublishHolderRequest(request, holders: null, now);
        await AppendAsync(request, "HoldersAsked", now, cancellationToken);
    }

    private void PublishHolderRequest(PrivacyRequest request, IReadOnlyList<string>? holders, DateTimeOffset now)
    {
        // Staged by its own type: the outbox names the message after the type it is given.
        switch (request.Kind)
        {
            case PrivacyRequestKind.Erasure:
                db.AddIntegrationEvent(new SubjectErasureRequested(request.Id, request.SubjectId, now, holders), clock);
                break;
            case PrivacyRequestKind.Access or PrivacyRequestKind.Portability:
                db.AddIntegrationEvent(new SubjectDataExportRequested(request.Id, request.SubjectId, now, holders), clock);
                break;
            case PrivacyRequestKind.Restriction:
                db.AddIntegrationEvent(new ProcessingRestrictionRequested(request.Id, request.SubjectId, now, holders), clock);
                break;
            case PrivacyRequestKind.RestrictionLift:
                db.AddIntegrationEvent(new ProcessingRestrictionLiftRequested(request.Id, request.SubjectId, now, holders), clock);
                break;
            default:
                throw new InvalidOperationException($"{request.Kind} requests do not ask the holders.");
        }
    }

    private async Task CompleteAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? packageUntil = null;
        if (request.Kind is PrivacyRequestKind.Access or PrivacyRequestKind.Portability)
        {
            packageUntil = await CompilePackageAsync(request, now, cancellationToken);
        }

        request.Status = PrivacyRequestStatus.Completed;
        request.CompletedAt = now;
        await AppendAsync(request, "Completed", now, cancellationToken);
        db.AddIntegrationEvent(
            new PrivacyRequestCompleted(request.Id, request.SubjectId, request.Kind, now, request.ContactEmail, request.PreferredLanguage, packageUntil),
            clock);

        // An erasure without any address to write to (no account, none given) has nobody left to tell.
        if (request.ContactEmail is null && request.Kind == PrivacyRequestKind.Erasure)
        {
            await CloseAsync(request, now, cancellationToken);
        }
        else if (request.ContactEmail is null)
        {
            // Notifications writes to the address it holds; nothing here waits for that, because nothing is held to drop.
            request.Stage = WorkflowStage.Closed;
            request.ClosedAt = now;
        }
        else
        {
            request.Stage = WorkflowStage.NotifyingSubject;
        }
    }

    private async Task<DateTimeOffset> CompilePackageAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.ExportParts.Where(p => p.RequestId == request.Id).LoadAsync(cancellationToken);
        // Local holds the parts saved earlier and the one the last answer just added, which no query would return yet.
        var parts = db.ExportParts.Local.Where(p => p.RequestId == request.Id).OrderBy(p => p.Service, StringComparer.Ordinal).ToList();
        var holders = await db.PersonalDataHolders.AsNoTracking().ToDictionaryAsync(h => h.Service, cancellationToken);
        var expiresAt = now + Options.PackageLifetime;
        db.AccessPackages.Add(new AccessPackage
        {
            RequestId = request.Id,
            SubjectId = request.SubjectId,
            Content = AccessPackages.Compile(request, parts, now, expiresAt),
            Summary = AccessPackages.Summarise(request, parts, holders, now, expiresAt),
            CompiledAt = now,
            ExpiresAt = expiresAt,
        });
        // The parts are in the package now; keeping them would only be a second copy of the subject's data.
        db.ExportParts.RemoveRange(parts);
        return expiresAt;
    }

    private async Task CloseAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var contact = request.ContactEmail;
        request.ContactEmail = null;
        request.PreferredLanguage = null;
        request.Stage = WorkflowStage.Closed;
        request.ClosedAt = now;
        await AppendAsync(request, "ContactDropped", now, cancellationToken);
        if (request.Kind == PrivacyRequestKind.Erasure)
        {
            await ForgetSubjectAsync(request.SubjectId, contact, cancellationToken);
            request.SubjectId = PrivacyRequest.ForgottenSubject;
        }
    }

    /// <summary>
    /// The erasure's last step in PrivacyRights itself: every request of the subject keeps its evidence but loses the
    /// subject id, the address, the free text staff wrote about them and any export parts collected, and the sent
    /// copies and parked dead letters of messages that named them are deleted, and their sealing key is destroyed. Unsent
    /// copies are still delivered, and emptied once they are; those sealing personal values are withheld, keyless.
    /// </summary>
    private async Task ForgetSubjectAsync(Guid subjectId, string? contact, CancellationToken cancellationToken)
    {
        await ForgottenRequests.DeleteExportPartsAsync(db, subjectId, cancellationToken);
        await ForgottenRequests.ForgetSubjectOfAsync(db.Requests.Where(r => r.SubjectId == subjectId), cancellationToken);
        await db.AccessPackages.Where(p => p.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);
        string[] naming = contact is null ? [subjectId.ToString()] : [subjectId.ToString(), contact];
        await OutboxCopies.ForgetNamingAsync(db, [subjectId], contact is null ? [] : [contact], cancellationToken);
        await ParkedDeadLetters.DeleteNamingAsync(db, naming, cancellationToken);
        // Last, and with the rest: every copy of the subject's values that escaped the deletes above (in a queue, a
        // broker's disk, another service's backup) was sealed under this key, and is unreadable from this commit on.
        await subjectKeys.DestroyAsync(db, subjectId, cancellationToken);
    }

    private async Task EscalateAsync(PrivacyRequest request, string party, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        request.EscalatedAt ??= now;
        await AppendAsync(request, $"Escalated:{party}", now, cancellationToken);
        logger.LogWarning("Request {RequestId} escalated: {Party} {Why}.", request.Id, party, why);
    }

    private Task AppendAsync(PrivacyRequest request, string action, DateTimeOffset now, CancellationToken cancellationToken) =>
        audit.AppendAsync(db, request.Id, action, WorkflowActor, now, cancellationToken);
}
