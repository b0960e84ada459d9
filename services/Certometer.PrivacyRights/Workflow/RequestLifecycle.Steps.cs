using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.DeadLetters;
using Certometer.Messaging.Outbox;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Requests;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Workflow;

// The effects the lifecycle table names. Private: nothing but the table can take a step, and each step may assume
// the state and guard its row declares.
internal sealed partial class RequestLifecycle
{
    /// <summary>
    /// The decision is recorded before whatever it sets off, so the chain reads in the order things happened, and with
    /// the status it leaves the request in, which is what its entry attests.
    /// </summary>
    private async Task ApproveAsync(PrivacyRequest request, ApproveRequest approval, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (approval.Automatically)
        {
            await AppendAsync(request, "ApprovedAutomatically", now, cancellationToken);
        }
        else
        {
            request.Status = PrivacyRequestStatus.Approved;
            await audit.AppendAsync(db, request.Id, nameof(PrivacyRequestStatus.Approved), approval.Actor, now, cancellationToken);
        }

        request.Status = PrivacyRequestStatus.Approved;
        request.DecidedAt = now;
        request.WorkStartsAt = Options.WorkStartsAt(request.Kind, request.ReceivedAt, now);
        db.AddIntegrationEvent(new PrivacyRequestApproved(request.Id, request.SubjectId, request.Kind, now, request.Deadline), clock);
        if (request.WorkStartsAt <= now)
        {
            await StartAsync(request, now, cancellationToken);
        }
    }

    private async Task DenyAsync(PrivacyRequest request, DenyRequest denial, DateTimeOffset now, CancellationToken cancellationToken)
    {
        request.Status = PrivacyRequestStatus.Denied;
        await audit.AppendAsync(db, request.Id, nameof(PrivacyRequestStatus.Denied), denial.Actor, now, cancellationToken);
        request.DecidedAt = now;
        request.DenialReason = denial.Reason;
        db.AddIntegrationEvent(new PrivacyRequestDenied(request.Id, request.SubjectId, request.Kind, denial.Reason, now), clock);
    }

    private async Task CancelAsync(PrivacyRequest request, CancelRequest cancellation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        request.Status = PrivacyRequestStatus.Cancelled;
        request.CancelledAt = now;
        await audit.AppendAsync(db, request.Id, "Cancelled", cancellation.Actor, now, cancellationToken);
        db.AddIntegrationEvent(new PrivacyRequestCancelled(request.Id, request.SubjectId, request.Kind, now), clock);
    }

    private async Task ExtendAsync(PrivacyRequest request, ExtendDeadline extension, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var previous = request.Deadline;
        request.Deadline = deadlines.Value.ExtendedFrom(previous);
        request.ExtendedAt = now;
        request.ExtensionReason = extension.Reason;
        await audit.AppendAsync(db, request.Id, "Extended", extension.Actor, now, cancellationToken);
        db.AddIntegrationEvent(
            new PrivacyRequestExtended(request.Id, request.SubjectId, request.Kind, extension.Reason, previous, request.Deadline, now), clock);
    }

    /// <summary>Starts approved work: an objection takes effect at once, an erasure locks the account first.</summary>
    private async Task StartAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
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
    private async Task OnAccountLockedAsync(PrivacyRequest request, AccountLocked locked, DateTimeOffset now, CancellationToken cancellationToken)
    {
        request.AccountLockedAt = now;
        // The address the subject gave for this request wins; otherwise the account's is the only way left to tell them.
        request.ContactEmail ??= locked.Email;
        request.PreferredLanguage = locked.PreferredLanguage;
        await AppendAsync(request, locked.AccountFound ? "AccountLocked" : "AccountNotFound", now, cancellationToken);
        await AskHoldersAsync(request, now, cancellationToken);
    }

    private async Task AskIdentityAgainAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
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
    }

    private async Task OnToldOfLiftingAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AppendAsync(request, "SubjectToldOfLifting", now, cancellationToken);
        await AskHoldersAsync(request, now, cancellationToken);
    }

    /// <summary>Lifting a restriction without telling the subject first is not allowed (GDPR art. 18(3)), so the request stays and goes to staff.</summary>
    private Task OnNotToldOfLiftingAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken) =>
        EscalateAsync(request, "notifications", "gave up telling the subject that their restriction is to be lifted", now, cancellationToken);

    /// <summary>A holder answered. The first answer from each asked holder counts; any other is ignored.</summary>
    private async Task OnHolderAnsweredAsync(PrivacyRequest request, HolderAnswered answered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var step = await db.HolderSteps.SingleOrDefaultAsync(s => s.RequestId == request.Id && s.Service == answered.Service, cancellationToken);
        if (step is null)
        {
            // A holder that declared itself after this request's holders were asked: it was not waited for.
            logger.LogWarning("Ignored an answer from {Service}, which was not asked for request {RequestId}.", answered.Service, request.Id);
            return;
        }

        if (step.AnsweredAt is not null)
        {
            return;
        }

        step.AnsweredAt = now;
        step.Answer = JsonSerializer.Serialize(answered.Answer, answered.Answer.GetType(), InventoryJson.Options);
        if (answered.Part is not null)
        {
            db.ExportParts.Add(answered.Part);
        }

        await audit.AppendAsync(db, request.Id, $"Answered:{answered.Service}", AuditChain.WorkflowActor, now, step.Answer, cancellationToken);
        await CompleteUnlessSilentAsync(request, answered.Service, now, cancellationToken);
    }

    /// <summary>A retired holder will never answer: its step counts as answered, with the reason in place of a receipt.</summary>
    private async Task OnHolderRetiredAsync(PrivacyRequest request, HolderRetired retired, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var step = await db.HolderSteps.SingleOrDefaultAsync(
            s => s.RequestId == request.Id && s.Service == retired.Service && s.AnsweredAt == null, cancellationToken);
        if (step is null)
        {
            return;
        }

        step.AnsweredAt = now;
        step.Answer = JsonSerializer.Serialize(new { decommissioned = new { reason = retired.Reason, at = now } }, InventoryJson.Options);
        await audit.AppendAsync(db, request.Id, $"Decommissioned:{retired.Service}", retired.Officer, now, step.Answer, cancellationToken);
        await CompleteUnlessSilentAsync(request, retired.Service, now, cancellationToken);
    }

    /// <summary>Completes the request once no holder but <paramref name="answered"/>, whose answer is not saved yet, is silent.</summary>
    private async Task CompleteUnlessSilentAsync(PrivacyRequest request, string answered, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await db.HolderSteps.AnyAsync(s => s.RequestId == request.Id && s.Service != answered && s.AnsweredAt == null, cancellationToken))
        {
            await CompleteAsync(request, now, cancellationToken);
        }
    }

    /// <summary>Repeats the ask to each holder silent since before <paramref name="dueBy"/>; staff asking by hand pass the end of time.</summary>
    private async Task AskSilentHoldersAgainAsync(PrivacyRequest request, DateTimeOffset now, DateTimeOffset dueBy, CancellationToken cancellationToken)
    {
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

    private async Task OnToldOfCompletionAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AppendAsync(request, "SubjectToldOfCompletion", now, cancellationToken);
        await CloseAsync(request, now, cancellationToken);
    }

    /// <summary>
    /// A completed request closes without the notice, recording that the subject was not told and why, so the subject's
    /// id and address are not kept for a message that will never go.
    /// </summary>
    private async Task CloseUntoldAsync(PrivacyRequest request, string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AppendAsync(request, $"SubjectNotToldOfCompletion:{why}", now, cancellationToken);
        await CloseAsync(request, now, cancellationToken);
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
    /// The erasure's last step in PrivacyRights itself: every request still naming the subject (this erasure, and any
    /// request open when PrivacyRights answered as a holder, or made since) keeps its evidence but loses the subject id,
    /// the address, the free text staff wrote about them and the copies collected for it; the sent copies and parked
    /// dead letters of messages that named them are deleted, and their sealing key is destroyed. Unsent copies are still
    /// delivered, and emptied once they are; those sealing personal values are withheld, keyless.
    /// </summary>
    private async Task ForgetSubjectAsync(Guid subjectId, string? contact, CancellationToken cancellationToken)
    {
        await ForgottenRequests.ForgetAsync(db, db.Requests.Where(r => r.SubjectId == subjectId), cancellationToken);
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
        audit.AppendAsync(db, request.Id, action, AuditChain.WorkflowActor, now, cancellationToken);
}
