using System.Linq.Expressions;
using System.Text;
using Certometer.Contracts.Privacy;
using Certometer.Persistence;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.SubjectKeys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Certometer.PrivacyRights.Workflow.RequestState;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>
/// The one place a privacy request changes state. <see cref="Table"/> declares, for each state and event, the guard,
/// the states it may end in and what it does; endpoints, consumers and the clock only translate HTTP, messages and time
/// into events and fire them. Anything the table does not list is refused if a person asked for it and ignored if a
/// message or the clock brought it, which is what makes a redelivered answer, a late answer and a second tick harmless.
/// </summary>
/// <remarks>
/// Each event is fired inside the caller's transaction while it holds the request's lock, so the new state, its audit
/// entries and the messages it sends commit together or not at all. The state lives in the service's own
/// <see cref="PrivacyRequest"/> and <see cref="HolderStep"/> rows, beside the audit chain and the consent ledger it
/// changes in the same commit, rather than in a separate saga store; messages leave through the transactional outbox,
/// answers arrive through inbox consumers and time comes from <see cref="WorkflowClock"/>. Restarting any part loses
/// nothing: every step is either committed or not taken.
/// </remarks>
internal sealed partial class RequestLifecycle(
    PrivacyRightsDbContext db,
    AuditChain audit,
    ConsentLedger consents,
    SubjectKeyStore subjectKeys,
    IOptions<WorkflowOptions> options,
    IOptions<PrivacyRightsOptions> deadlines,
    TimeProvider clock,
    ILogger<RequestLifecycle> logger)
{
    /// <summary>The states in which a request still awaits an outcome, and its deadline can be extended.</summary>
    public static readonly RequestState[] OpenStates = [Received, Approved, LockingAccount, TellingSubject, WaitingForHolders, AwaitingHolders];

    // Declared after OpenStates, which it reads: static fields initialise in order.
    /// <summary>Every transition a request can take, in the order their guards are tried.</summary>
    public static IReadOnlyList<Transition> Table { get; } = DeclareTable();

    private WorkflowOptions Options => options.Value;

    private static List<Transition> DeclareTable()
    {
        RequestState[] asked = [WaitingForHolders, AwaitingHolders];
        RequestState[] completed = [NotifyingSubject, Closed];
        const string everyHolder = "asks every holder in the registry, or waits (escalated) while a required holder is undeclared";
        var table = new List<Transition>
        {
            // Four eyes: whoever filed a request for someone else, or is its subject, cannot also be the one who approves it.
            Refuse<ApproveRequest>(Received, "the approver filed it or is its subject", c => ApprovesOwn(c), _ => new RequestRefusal(
                "A second compliance officer must approve this request.",
                "Nobody approves a request they filed or one about their own account."), StatusCodes.Status403Forbidden),
            Take<ApproveRequest>(Received, "an erasure inside its cooling-off period", c => WorkStartsLater(c), [Approved],
                "records the decision and when work starts; sends PrivacyRequestApproved", (l, c, e, ct) => l.ApproveAsync(c.Request, e, c.Now, ct)),
        };
        table.AddRange(StartByKind<ApproveRequest>(Received, "work starts now", c => !WorkStartsLater(c), "approves (PrivacyRequestApproved) and ",
            (l, c, e, ct) => l.ApproveAsync(c.Request, e, c.Now, ct)));
        table.AddRange(
        [
            Take<DenyRequest>(Received, "", null, [Denied], "records the reason; sends PrivacyRequestDenied", (l, c, e, ct) => l.DenyAsync(c.Request, e, c.Now, ct)),
            Take<CancelRequest>(Received, "", null, [Cancelled], "sends PrivacyRequestCancelled", (l, c, e, ct) => l.CancelAsync(c.Request, e, c.Now, ct)),
            Take<CancelRequest>(Approved, "", null, [Cancelled], "sends PrivacyRequestCancelled (the cooling-off period is the subject's to use)",
                (l, c, e, ct) => l.CancelAsync(c.Request, e, c.Now, ct)),
            Refuse<StartWork>(Approved, "the cooling-off period is not over", c => c.Request.WorkStartsAt > c.Now, c => new RequestRefusal(
                "The erasure's cooling-off period is not over.",
                $"The subject can still cancel it; it starts by itself at {c.Request.WorkStartsAt:O}.",
                new Dictionary<string, object?> { ["workStartsAt"] = c.Request.WorkStartsAt })),
        ]);
        table.AddRange(StartByKind<StartWork>(Approved, "", _ => true, "", (l, c, _, ct) => l.StartAsync(c.Request, c.Now, ct)));
        table.AddRange(StartByKind<ClockTicked>(Approved, "its start is due", c => c.Request.WorkStartsAt <= c.Now, "", (l, c, _, ct) => l.StartAsync(c.Request, c.Now, ct)));
        table.AddRange(
        [
            Take<AccountLockAnswered>(LockingAccount, "", null, asked, "records the lock and the address to write to afterwards; " + everyHolder,
                (l, c, e, ct) => l.OnAccountLockedAsync(c.Request, e.Answer, c.Now, ct)),
            Take<ClockTicked>(LockingAccount, "the next ask is due", c => (c.Request.AccountLockNextAskAt ?? c.Request.AccountLockAskedAt) < c.Now, [LockingAccount],
                "asks Identity again, each wait twice the last; escalates after EscalateAfterAttempts asks", (l, c, _, ct) => l.AskIdentityAgainAsync(c.Request, c.Now, ct)),
            Take<StartWork>(LockingAccount, "", null, [LockingAccount], "asks Identity again now", (l, c, _, ct) => l.AskIdentityAgainAsync(c.Request, c.Now, ct)),
            Take<NoticeDelivered>(TellingSubject, "the restriction-lifting notice", c => Notice(c) == PrivacyNotice.RestrictionLifting, asked,
                "records that the subject was told; asks every holder to resume, or waits (escalated) while a required holder is undeclared", (l, c, _, ct) => l.OnToldOfLiftingAsync(c.Request, c.Now, ct)),
            Take<NoticeFailed>(TellingSubject, "the restriction-lifting notice", c => Notice(c) == PrivacyNotice.RestrictionLifting, [TellingSubject],
                "escalates: processing may not resume before the subject is told (GDPR art. 18(3))", (l, c, _, ct) => l.OnNotToldOfLiftingAsync(c.Request, c.Now, ct)),
            Ignore<StartWork>(TellingSubject, "", "nothing: Notifications retries the notice itself"),
            Take<ClockTicked>(WaitingForHolders, "", null, asked, everyHolder, (l, c, _, ct) => l.AskHoldersAsync(c.Request, c.Now, ct)),
            Take<StartWork>(WaitingForHolders, "", null, asked, everyHolder, (l, c, _, ct) => l.AskHoldersAsync(c.Request, c.Now, ct)),
            Take<HolderAnswered>(AwaitingHolders, "", null, [AwaitingHolders, .. completed],
                "records the first answer of each holder asked; once none is silent, completes (access and portability: compiles the package) and sends PrivacyRequestCompleted",
                (l, c, e, ct) => l.OnHolderAnsweredAsync(c.Request, e, c.Now, ct)),
            Take<HolderRetired>(AwaitingHolders, "", null, [AwaitingHolders, .. completed],
                "counts the retired holder as answered, with the reason; once none is silent, completes as for an answer",
                (l, c, e, ct) => l.OnHolderRetiredAsync(c.Request, e, c.Now, ct)),
            Take<ClockTicked>(AwaitingHolders, "", null, [AwaitingHolders],
                "asks each holder silent past its wait again, alone; escalates it after EscalateAfterAttempts asks",
                (l, c, _, ct) => l.AskSilentHoldersAgainAsync(c.Request, c.Now, dueBy: c.Now, ct)),
            Take<StartWork>(AwaitingHolders, "", null, [AwaitingHolders], "asks every silent holder again now",
                (l, c, _, ct) => l.AskSilentHoldersAgainAsync(c.Request, c.Now, dueBy: DateTimeOffset.MaxValue, ct)),
            Take<NoticeDelivered>(NotifyingSubject, "the completion notice", c => Notice(c) == PrivacyNotice.RequestCompleted, [Closed],
                "drops the contact address; an erasure then forgets the subject", (l, c, _, ct) => l.OnToldOfCompletionAsync(c.Request, c.Now, ct)),
            Take<NoticeFailed>(NotifyingSubject, "the completion notice", c => Notice(c) == PrivacyNotice.RequestCompleted, [Closed],
                "records that the subject was not told; drops the contact address; an erasure then forgets the subject",
                (l, c, _, ct) => l.CloseUntoldAsync(c.Request, "notice-failed", c.Now, ct)),
            Take<ClockTicked>(NotifyingSubject, "no word for NoticeTimeout", c => c.Request.CompletedAt < c.Now - c.Options.NoticeTimeout, [Closed],
                "records that the subject was not told; drops the contact address; an erasure then forgets the subject",
                (l, c, _, ct) => l.CloseUntoldAsync(c.Request, "timed-out", c.Now, ct)),
        ]);

        // One extension per request (GDPR art. 12(3)): a second would silently stretch the subject's legal deadline.
        foreach (var open in OpenStates)
        {
            table.Add(Refuse<ExtendDeadline>(open, "the deadline was extended before", c => c.Request.ExtendedAt is not null, _ => new RequestRefusal(
                "This request has already been extended.", "A deadline can be extended once only.")));
            table.Add(Take<ExtendDeadline>(open, "", null, [open], "moves the deadline once, with the reason; sends PrivacyRequestExtended",
                (l, c, e, ct) => l.ExtendAsync(c.Request, e, c.Now, ct)));
        }

        return table;
    }

    /// <summary>Starting approved work, by kind: the rows differ only in where each kind goes first.</summary>
    private static IEnumerable<Transition> StartByKind<TEvent>(
        RequestState from,
        string when,
        Func<TransitionContext, bool> starts,
        string lead,
        Func<RequestLifecycle, TransitionContext, TEvent, CancellationToken, Task> effect)
        where TEvent : RequestEvent
    {
        string For(string kind) => when.Length == 0 ? kind : $"{when}, {kind}";
        yield return Take(from, For("an erasure"), c => starts(c) && c.Request.Kind == PrivacyRequestKind.Erasure, [LockingAccount],
            lead + "asks Identity to lock the account (AccountLockRequested)", effect);
        yield return Take(from, For("lifting a restriction"), c => starts(c) && c.Request.Kind == PrivacyRequestKind.RestrictionLift, [TellingSubject],
            lead + "waits for Notifications to tell the subject (it learns to from PrivacyRequestApproved)", effect);
        yield return Take(from, For("an objection"), c => starts(c) && c.Request.Kind is PrivacyRequestKind.ObjectionToMarketing or PrivacyRequestKind.ObjectionToAnalytics,
            [NotifyingSubject, Closed], lead + "sends SubjectObjectedToProcessing, withdraws that consent in the ledger and completes", effect);
        yield return Take(from, For("access, portability or restriction"), starts, [WaitingForHolders, AwaitingHolders],
            lead + "asks every holder in the registry, or waits (escalated) while a required holder is undeclared", effect);
    }

    private static bool ApprovesOwn(TransitionContext c) =>
        c.Event is ApproveRequest { Automatically: false } approval
        && (approval.Actor == c.Request.FiledBy || approval.Actor == c.Request.SubjectId.ToString("D"));

    private static bool WorkStartsLater(TransitionContext c) =>
        c.Options.WorkStartsAt(c.Request.Kind, c.Request.ReceivedAt, c.Now) > c.Now;

    private static PrivacyNotice? Notice(TransitionContext c) => c.Event switch
    {
        NoticeDelivered delivered => delivered.Notice,
        NoticeFailed failed => failed.Notice,
        _ => null,
    };

    private static Transition Take<TEvent>(
        RequestState from,
        string when,
        Func<TransitionContext, bool>? applies,
        RequestState[] to,
        string does,
        Func<RequestLifecycle, TransitionContext, TEvent, CancellationToken, Task> effect)
        where TEvent : RequestEvent => new()
        {
            From = from,
            On = typeof(TEvent),
            When = when,
            Verdict = Verdict.Taken,
            To = to,
            Does = does,
            Applies = applies ?? (_ => true),
            Effect = (lifecycle, context, ct) => effect(lifecycle, context, (TEvent)context.Event, ct),
        };

    private static Transition Refuse<TEvent>(
        RequestState from,
        string when,
        Func<TransitionContext, bool> applies,
        Func<TransitionContext, RequestRefusal> refusal,
        int statusCode = StatusCodes.Status409Conflict)
        where TEvent : RequestCommand => new()
        {
            From = from,
            On = typeof(TEvent),
            When = when,
            Verdict = Verdict.Refused,
            Does = "nothing",
            Applies = applies,
            Refusal = context => refusal(context) with { StatusCode = statusCode },
            RefusedWith = statusCode,
        };

    private static Transition Ignore<TEvent>(RequestState from, string when, string does)
        where TEvent : RequestEvent => new()
        {
            From = from, On = typeof(TEvent), When = when, Verdict = Verdict.Ignored, Does = does, Applies = _ => true,
        };

    /// <summary>
    /// A request just received. An objection needs no decision: objecting to direct marketing is absolute (GDPR art.
    /// 21(3)) and analytics rests on consent or legitimate interest the subject may refuse, so it is approved, and takes
    /// effect, at once.
    /// </summary>
    public async Task OnReceivedAsync(PrivacyRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Kind is PrivacyRequestKind.ObjectionToMarketing or PrivacyRequestKind.ObjectionToAnalytics)
        {
            await FireAsync(request, new ApproveRequest(AuditChain.WorkflowActor, Automatically: true), now, cancellationToken);
        }
    }

    /// <summary>The row <paramref name="happening"/> meets in state <paramref name="from"/>: the first whose guard holds, or none.</summary>
    public static Transition? RowFor(RequestState from, TransitionContext happening) =>
        Table.FirstOrDefault(t => t.From == from && t.On == happening.Event.GetType() && t.Applies(happening));

    /// <summary>
    /// Fires <paramref name="happening"/> at <paramref name="request"/>, inside the caller's transaction and under its
    /// lock. A refused or ignored event changes nothing; a taken one ends in a state its row allows, or throws, so a
    /// transition the table does not declare can never be committed.
    /// </summary>
    public async Task<TransitionOutcome> FireAsync(PrivacyRequest request, RequestEvent happening, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = RequestStates.Of(request);
        var context = new TransitionContext(request, happening, now, Options);
        var row = RowFor(from, context);
        if (row is null)
        {
            return happening is RequestCommand command
                ? new TransitionOutcome(Verdict.Refused, from, from, now, null, new RequestRefusal(command.RefusedTitle, $"It is {request.Status}."))
                : new TransitionOutcome(Verdict.Ignored, from, from, now, null);
        }

        if (row.Verdict != Verdict.Taken)
        {
            return new TransitionOutcome(row.Verdict, from, from, now, row, row.Refusal?.Invoke(context));
        }

        await row.Effect!(this, context, cancellationToken);
        var to = RequestStates.Of(request);
        if (!row.To.Contains(to))
        {
            throw new InvalidOperationException(
                $"{from} on {row.On.Name} ({(row.When.Length == 0 ? "always" : row.When)}) ended in {to}; the lifecycle table allows only {string.Join(", ", row.To)}.");
        }

        return new TransitionOutcome(Verdict.Taken, from, to, now, row);
    }

    /// <summary>
    /// Fires <paramref name="happening"/> at the request <paramref name="requestId"/> in a transaction of its own under
    /// its lock, and commits unless it was refused. Null when no request with that id is <paramref name="visible"/>.
    /// </summary>
    public Task<(PrivacyRequest Request, TransitionOutcome Outcome)?> FireAsync(
        Guid requestId, RequestEvent happening, CancellationToken cancellationToken, Expression<Func<PrivacyRequest, bool>>? visible = null) =>
        RequestChanges.RunAsync<(PrivacyRequest, TransitionOutcome)?>(
            db,
            requestId,
            async ct =>
            {
                var request = await db.Requests.Where(visible ?? (_ => true)).SingleOrDefaultAsync(r => r.Id == requestId, ct);
                if (request is null)
                {
                    return null;
                }

                var outcome = await FireAsync(request, happening, StoredTime.Now(clock), ct);
                if (!outcome.WasRefused)
                {
                    await db.SaveAndCommitAsync(ct);
                }

                return (request, outcome);
            },
            cancellationToken);

    /// <summary>The table as Markdown, as the README shows it (a unit test keeps the two the same).</summary>
    public static string DescribeTable()
    {
        var markdown = new StringBuilder()
            .AppendLine("| In state | On | When | Goes to | And |")
            .AppendLine("|---|---|---|---|---|");
        // Grouped by state and event; within a group the rows keep the order their guards are tried in.
        var rows = Table.OrderBy(r => r.From).ThenBy(r => r.On.Name, StringComparer.Ordinal).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var when = row.When.Length > 0 ? row.When : i > 0 && rows[i - 1].From == row.From && rows[i - 1].On == row.On ? "otherwise" : "always";
            var to = row.Verdict switch
            {
                Verdict.Refused => $"refused ({row.RefusedWith})",
                Verdict.Ignored => "stays (ignored)",
                _ => string.Join(" or ", row.To),
            };
            markdown.AppendLine($"| {row.From} | {row.On.Name} | {when} | {to} | {row.Does} |");
        }

        return markdown
            .AppendLine()
            .Append("Anything else is refused (409) when a person asked for it and ignored when a message or the clock brought it.")
            .AppendLine()
            .ToString();
    }
}
