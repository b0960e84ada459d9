using System.Text.Json;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.Workflow;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

/// <summary>
/// Every event fired at a request in every state, on the service's real database, each in a transaction that is rolled
/// back: the outcome, the state it ends in and what it wrote must be what the lifecycle table says.
/// </summary>
public sealed class RequestLifecycleTableTests(PrivacyRightsService service)
{
    private const string Holder = "learning";
    private const string OtherHolder = "payments";
    private const string Officer = "officer";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>A request seeded in one state, with the details some guards read.</summary>
    private sealed record Situation(
        string Name, PrivacyRequestKind Kind, PrivacyRequestStatus Status, WorkflowStage Stage, Action<PrivacyRequest, DateTimeOffset>? Tune = null, string[]? SilentHolders = null, TimeSpan? Age = null, string? FiledBy = null);

    private static readonly Situation[] Situations =
    [
        new("a received erasure", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Received, WorkflowStage.NotStarted),
        new("an erasure received two days ago, past its cooling-off", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Received, WorkflowStage.NotStarted,
            Age: TimeSpan.FromDays(2)),
        new("an erasure filed on the subject's behalf by the officer who approves", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Received,
            WorkflowStage.NotStarted, FiledBy: Officer),
        new("a received access request", PrivacyRequestKind.Access, PrivacyRequestStatus.Received, WorkflowStage.NotStarted),
        new("a received restriction lift", PrivacyRequestKind.RestrictionLift, PrivacyRequestStatus.Received, WorkflowStage.NotStarted),
        new("a received objection", PrivacyRequestKind.ObjectionToMarketing, PrivacyRequestStatus.Received, WorkflowStage.NotStarted),
        new("a received request extended before", PrivacyRequestKind.Access, PrivacyRequestStatus.Received, WorkflowStage.NotStarted,
            (r, now) => r.ExtendedAt = now.AddDays(-1)),
        new("an approved erasure cooling off", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Approved, WorkflowStage.NotStarted,
            (r, now) => (r.WorkStartsAt, r.ExtendedAt) = (now.AddHours(1), now.AddMinutes(-5))),
        new("an approved erasure due to start", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Approved, WorkflowStage.NotStarted,
            (r, now) => r.WorkStartsAt = now.AddMinutes(-1)),
        new("an approved restriction lift due to start", PrivacyRequestKind.RestrictionLift, PrivacyRequestStatus.Approved, WorkflowStage.NotStarted,
            (r, now) => r.WorkStartsAt = now.AddMinutes(-1)),
        new("an approved objection due to start", PrivacyRequestKind.ObjectionToAnalytics, PrivacyRequestStatus.Approved, WorkflowStage.NotStarted,
            (r, now) => r.WorkStartsAt = now.AddMinutes(-1)),
        new("an approved restriction due to start", PrivacyRequestKind.Restriction, PrivacyRequestStatus.Approved, WorkflowStage.NotStarted,
            (r, now) => r.WorkStartsAt = now.AddMinutes(-1)),
        new("an erasure whose lock ask is due again", PrivacyRequestKind.Erasure, PrivacyRequestStatus.InProgress, WorkflowStage.LockingAccount,
            (r, now) => (r.AccountLockAskedAt, r.AccountLockAttempts, r.AccountLockNextAskAt) = (now.AddMinutes(-10), 1, now.AddMinutes(-1))),
        new("an erasure whose lock ask is not due", PrivacyRequestKind.Erasure, PrivacyRequestStatus.InProgress, WorkflowStage.LockingAccount,
            (r, now) => (r.AccountLockAskedAt, r.AccountLockAttempts, r.AccountLockNextAskAt, r.ExtendedAt) = (now.AddMinutes(-1), 1, now.AddHours(1), now)),
        new("a restriction lift telling the subject", PrivacyRequestKind.RestrictionLift, PrivacyRequestStatus.InProgress, WorkflowStage.TellingSubject),
        new("a restriction lift telling the subject, extended before", PrivacyRequestKind.RestrictionLift, PrivacyRequestStatus.InProgress,
            WorkflowStage.TellingSubject, (r, now) => r.ExtendedAt = now),
        new("an access request waiting for the registry", PrivacyRequestKind.Access, PrivacyRequestStatus.InProgress, WorkflowStage.WaitingForHolders),
        new("an access request waiting for the registry, extended before", PrivacyRequestKind.Access, PrivacyRequestStatus.InProgress,
            WorkflowStage.WaitingForHolders, (r, now) => r.ExtendedAt = now),
        new("a restriction awaiting two holders", PrivacyRequestKind.Restriction, PrivacyRequestStatus.InProgress, WorkflowStage.AwaitingHolders,
            SilentHolders: [Holder, OtherHolder]),
        new("an erasure awaiting its last holder", PrivacyRequestKind.Erasure, PrivacyRequestStatus.InProgress, WorkflowStage.AwaitingHolders,
            (r, _) => r.ContactEmail = $"last-holder-{r.Id:N}@example.test", SilentHolders: [Holder]),
        new("an access request awaiting its last holder, extended before", PrivacyRequestKind.Access, PrivacyRequestStatus.InProgress,
            WorkflowStage.AwaitingHolders, (r, now) => r.ExtendedAt = now, SilentHolders: [Holder]),
        new("an erasure telling the subject it completed", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Completed, WorkflowStage.NotifyingSubject,
            (r, now) => (r.CompletedAt, r.ContactEmail) = (now.AddMinutes(-1), $"told-{r.Id:N}@example.test")),
        new("an erasure whose completion notice never came back", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Completed, WorkflowStage.NotifyingSubject,
            (r, now) => (r.CompletedAt, r.ContactEmail) = (now.AddDays(-2), $"untold-{r.Id:N}@example.test")),
        new("a closed request", PrivacyRequestKind.Access, PrivacyRequestStatus.Completed, WorkflowStage.Closed, (r, now) => r.CompletedAt = r.ClosedAt = now),
        new("a denied request", PrivacyRequestKind.Access, PrivacyRequestStatus.Denied, WorkflowStage.NotStarted, (r, _) => r.DenialReason = "No."),
        new("a cancelled request", PrivacyRequestKind.Erasure, PrivacyRequestStatus.Cancelled, WorkflowStage.NotStarted),
    ];

    /// <summary>One of each event, and of the notices each kind of notice event carries.</summary>
    private static readonly Func<PrivacyRequest, DateTimeOffset, RequestEvent>[] Events =
    [
        (_, _) => new ApproveRequest(Officer),
        (_, _) => new DenyRequest(Officer, "The identity could not be confirmed."),
        (_, _) => new ExtendDeadline(Officer, "Many holders to reach."),
        (r, _) => new CancelRequest(r.SubjectId.ToString("D")),
        (_, _) => new StartWork(Officer),
        (_, _) => new ClockTicked(),
        (r, now) => new AccountLockAnswered(new AccountLocked(r.Id, r.SubjectId, AccountFound: true, TokensRevoked: 1, now, $"account-{r.Id:N}@example.test", "en")),
        (_, _) => new HolderAnswered(Holder, new { rows = 3 }),
        (_, _) => new HolderRetired(Holder, "The service was shut down.", Officer),
        (_, _) => new NoticeDelivered(PrivacyNotice.RestrictionLifting),
        (_, _) => new NoticeDelivered(PrivacyNotice.RequestCompleted),
        (_, _) => new NoticeFailed(PrivacyNotice.RestrictionLifting),
        (_, _) => new NoticeFailed(PrivacyNotice.RequestCompleted),
    ];

    [Fact]
    public async Task Every_event_fired_at_a_request_in_every_state_ends_as_the_lifecycle_table_says()
    {
        var failures = new List<string>();
        var rowsMet = new HashSet<Transition>();
        var pairsMet = new HashSet<(RequestState, Type)>();
        foreach (var situation in Situations)
        {
            foreach (var happening in Events)
            {
                var (from, eventType, row, failure) = await FireInRolledBackTransactionAsync(situation, happening);
                pairsMet.Add((from, eventType));
                if (row is not null)
                {
                    rowsMet.Add(row);
                }

                if (failure is not null)
                {
                    failures.Add($"{situation.Name} ({from}) on {eventType.Name}: {failure}");
                }
            }
        }

        failures.ShouldBeEmpty();
        var eventTypes = Events.Select(e => e(Seed(Situations[0], DateTimeOffset.UtcNow), DateTimeOffset.UtcNow).GetType()).Distinct().ToList();
        var unmet = Enum.GetValues<RequestState>().SelectMany(s => eventTypes.Select(e => (s, e))).Where(p => !pairsMet.Contains(p)).ToList();
        unmet.ShouldBeEmpty("every state meets every event");
        RequestLifecycle.Table.Where(t => !rowsMet.Contains(t)).Select(t => $"{t.From} on {t.On.Name} ({t.When})")
            .ShouldBeEmpty("every row of the table is exercised");
    }

    private async Task<(RequestState From, Type Event, Transition? Row, string? Failure)> FireInRolledBackTransactionAsync(
        Situation situation, Func<PrivacyRequest, DateTimeOffset, RequestEvent> eventFor)
    {
        await using var scope = service.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<RequestLifecycle>();
        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WorkflowOptions>>().Value;
        // The service retries on transient failures, so a transaction of its own runs inside the retrying strategy.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(() => FireAsync(db, lifecycle, options, situation, eventFor));
    }

    private static async Task<(RequestState From, Type Event, Transition? Row, string? Failure)> FireAsync(
        PrivacyRightsDbContext db, RequestLifecycle lifecycle, WorkflowOptions options, Situation situation, Func<PrivacyRequest, DateTimeOffset, RequestEvent> eventFor)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(Cancellation);

        var now = StoredTime.Now(TimeProvider.System);
        var seeded = Seed(situation, now);
        db.Requests.Add(seeded);
        foreach (var silent in situation.SilentHolders ?? [])
        {
            db.HolderSteps.Add(new HolderStep
            {
                RequestId = seeded.Id, Service = silent, FirstAskedAt = now.AddMinutes(-10), LastAskedAt = now.AddMinutes(-10), NextAskAt = now.AddMinutes(-1), Attempts = 1,
            });
        }

        await db.SaveChangesAsync(Cancellation);
        db.ChangeTracker.Clear();

        var request = await db.Requests.SingleAsync(r => r.Id == seeded.Id, Cancellation);
        var happening = eventFor(request, now);
        var from = RequestStates.Of(request);
        var expected = RequestLifecycle.RowFor(from, new TransitionContext(request, happening, now, options));
        var before = await WrittenAsync(db, request.Id);

        var outcome = await lifecycle.FireAsync(request, happening, now, Cancellation);
        await db.SaveChangesAsync(Cancellation);
        db.ChangeTracker.Clear();
        var after = await WrittenAsync(db, request.Id);
        var to = RequestStates.Of(await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request.Id, Cancellation));
        // Rolled back: nothing seeded or fired here is ever committed, so no clock, dispatcher or other test sees it.
        await transaction.RollbackAsync(Cancellation);

        var expectedVerdict = expected?.Verdict ?? (happening is RequestCommand ? Verdict.Refused : Verdict.Ignored);
        string? failure = null;
        if (outcome.Verdict != expectedVerdict || outcome.Rule != expected)
        {
            failure = $"the table says {expectedVerdict} by '{expected?.When}', the lifecycle gave {outcome.Verdict} by '{outcome.Rule?.When}'";
        }
        else if (outcome.Verdict == Verdict.Taken && !expected!.To.Contains(to))
        {
            failure = $"ended in {to}; the table allows {string.Join(", ", expected.To)}";
        }
        else if (outcome.Verdict == Verdict.Taken && after.AuditEntries <= before.AuditEntries)
        {
            failure = "a taken transition left no audit entry";
        }
        else if (outcome.Verdict != Verdict.Taken && (after != before || to != from))
        {
            failure = $"a {outcome.Verdict} event changed the request (before {before}, after {after}, now {to})";
        }
        else if (outcome.Verdict == Verdict.Refused && string.IsNullOrEmpty(outcome.Refusal?.Title))
        {
            failure = "refused without saying why";
        }

        return (from, happening.GetType(), expected, failure);
    }

    private static PrivacyRequest Seed(Situation situation, DateTimeOffset now)
    {
        var request = new PrivacyRequest
        {
            Id = Guid.CreateVersion7(),
            SubjectId = Guid.NewGuid(),
            Kind = situation.Kind,
            Status = situation.Status,
            Stage = situation.Stage,
            ReceivedAt = now - (situation.Age ?? TimeSpan.FromMinutes(30)),
            Deadline = now.AddMonths(1),
            Channel = situation.FiledBy is null ? RequestChannel.SubjectPortal : RequestChannel.Staff,
            FiledBy = situation.FiledBy,
        };
        situation.Tune?.Invoke(request, now);
        return request;
    }

    /// <summary>What a transition leaves behind for one request: its row, its audit entries, its messages, its holder steps.</summary>
    private sealed record Written(string Request, int AuditEntries, int Messages, string Steps);

    private static async Task<Written> WrittenAsync(PrivacyRightsDbContext db, Guid requestId)
    {
        var request = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == requestId, Cancellation);
        var audit = await db.PendingAuditEntries.CountAsync(e => e.RequestId == requestId, Cancellation);
        var messages = await db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE payload->>'requestId' = {requestId.ToString()}")
            .SingleAsync(Cancellation);
        var steps = await db.HolderSteps.AsNoTracking().Where(s => s.RequestId == requestId).OrderBy(s => s.Service).ToListAsync(Cancellation);
        return new Written(JsonSerializer.Serialize(request), audit, messages, JsonSerializer.Serialize(steps));
    }
}
