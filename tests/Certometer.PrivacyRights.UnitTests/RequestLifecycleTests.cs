using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.Workflow;

namespace Certometer.PrivacyRights.UnitTests;

/// <summary>The lifecycle table's rules, read without a database: which row an event meets, and that the README shows the table.</summary>
public sealed class RequestLifecycleTests
{
    private const string TableStart = "<!-- request-lifecycle-table:start -->";
    private const string TableEnd = "<!-- request-lifecycle-table:end -->";

    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly RequestState[] FinalStates = [RequestState.Closed, RequestState.Denied, RequestState.Cancelled];

    private static PrivacyRequest Request(PrivacyRequestKind kind, PrivacyRequestStatus status, WorkflowStage stage = WorkflowStage.NotStarted) => new()
    {
        Id = Guid.NewGuid(), SubjectId = Guid.NewGuid(), Kind = kind, Status = status, Stage = stage, ReceivedAt = Now.AddHours(-1), Deadline = Now.AddMonths(1),
    };

    private static Transition? RowFor(PrivacyRequest request, RequestEvent happening, TimeSpan? coolingOff = null) =>
        RequestLifecycle.RowFor(
            RequestStates.Of(request),
            new TransitionContext(request, happening, Now, new WorkflowOptions { ErasureCoolingOff = coolingOff ?? TimeSpan.FromDays(1) }));

    [Fact]
    public void The_readme_shows_the_lifecycle_table_exactly_as_the_code_declares_it()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Certometer.slnx")))
        {
            directory = directory.Parent;
        }

        directory.ShouldNotBeNull("the tests run inside the repository");
        var readme = File.ReadAllText(Path.Combine(directory.FullName, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal);
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, $"the README marks the lifecycle table with {TableStart}");
        end.ShouldBeGreaterThan(start, $"the README closes the lifecycle table with {TableEnd}");

        var shown = readme[(start + TableStart.Length)..end].Trim();
        var declared = RequestLifecycle.DescribeTable().ReplaceLineEndings("\n").Trim();
        shown.ShouldBe(declared, $"the README's table is out of date; replace what stands between its markers with:\n\n{declared}\n");
    }

    [Fact]
    public void An_approved_erasure_waits_out_its_cooling_off_and_any_other_approval_starts_at_once()
    {
        RowFor(Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.Received), new ApproveRequest("officer"))!.To.ShouldBe([RequestState.Approved]);
        RowFor(Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.Received), new ApproveRequest("officer"), coolingOff: TimeSpan.Zero)!
            .To.ShouldBe([RequestState.LockingAccount]);
        RowFor(Request(PrivacyRequestKind.Access, PrivacyRequestStatus.Received), new ApproveRequest("officer"))!
            .To.ShouldBe([RequestState.WaitingForHolders, RequestState.AwaitingHolders]);
        RowFor(Request(PrivacyRequestKind.RestrictionLift, PrivacyRequestStatus.Received), new ApproveRequest("officer"))!
            .To.ShouldBe([RequestState.TellingSubject]);
    }

    [Fact]
    public void Nobody_approves_a_request_they_filed_or_one_about_their_own_account()
    {
        var filed = new PrivacyRequest
        {
            Id = Guid.NewGuid(), SubjectId = Guid.NewGuid(), Kind = PrivacyRequestKind.Erasure, Status = PrivacyRequestStatus.Received,
            ReceivedAt = Now.AddHours(-1), Channel = RequestChannel.Staff, FiledBy = "officer-a",
        };
        var refused = RowFor(filed, new ApproveRequest("officer-a"))!;
        refused.Verdict.ShouldBe(Verdict.Refused);
        refused.RefusedWith.ShouldBe(403);
        RowFor(filed, new ApproveRequest("officer-b"))!.Verdict.ShouldBe(Verdict.Taken, "a second officer may");
        RowFor(filed, new ApproveRequest(filed.SubjectId.ToString("D")))!.Verdict.ShouldBe(Verdict.Refused, "nor may the subject, were they an officer");

        var objection = Request(PrivacyRequestKind.ObjectionToMarketing, PrivacyRequestStatus.Received);
        RowFor(objection, new ApproveRequest(AuditChain.WorkflowActor, Automatically: true))!.Verdict.ShouldBe(Verdict.Taken);
    }

    [Fact]
    public void Staff_cannot_start_an_erasure_inside_its_cooling_off_but_the_clock_starts_it_once_it_is_over()
    {
        var coolingOff = Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.Approved);
        coolingOff.WorkStartsAt = Now.AddHours(1);
        RowFor(coolingOff, new StartWork("officer"))!.Verdict.ShouldBe(Verdict.Refused);
        RowFor(coolingOff, new ClockTicked()).ShouldBeNull("a tick before the start is due finds no row, so it is ignored");

        var due = Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.Approved);
        due.WorkStartsAt = Now;
        RowFor(due, new ClockTicked())!.To.ShouldBe([RequestState.LockingAccount]);
        RowFor(due, new StartWork("officer"))!.To.ShouldBe([RequestState.LockingAccount]);
    }

    [Fact]
    public void A_deadline_is_extended_once_and_only_while_the_request_is_open()
    {
        var open = Request(PrivacyRequestKind.Access, PrivacyRequestStatus.InProgress, WorkflowStage.AwaitingHolders);
        RowFor(open, new ExtendDeadline("officer", "complex"))!.Verdict.ShouldBe(Verdict.Taken);

        open.ExtendedAt = Now.AddDays(-1);
        var again = RowFor(open, new ExtendDeadline("officer", "complex"))!;
        again.Verdict.ShouldBe(Verdict.Refused);
        again.Refusal!(new TransitionContext(open, new ExtendDeadline("officer", "complex"), Now, new WorkflowOptions())).Title
            .ShouldBe("This request has already been extended.");

        RowFor(Request(PrivacyRequestKind.Access, PrivacyRequestStatus.Completed, WorkflowStage.NotifyingSubject), new ExtendDeadline("officer", "late"))
            .ShouldBeNull("a completed request has no row, so the command is refused");
    }

    [Fact]
    public void The_subject_can_cancel_until_work_starts_and_not_after()
    {
        RowFor(Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.Received), new CancelRequest("subject"))!.To.ShouldBe([RequestState.Cancelled]);
        RowFor(Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.Approved), new CancelRequest("subject"))!.To.ShouldBe([RequestState.Cancelled]);
        RowFor(Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.InProgress, WorkflowStage.LockingAccount), new CancelRequest("subject")).ShouldBeNull();
    }

    [Fact]
    public void Only_the_notice_a_state_waits_for_moves_it()
    {
        var lifting = Request(PrivacyRequestKind.RestrictionLift, PrivacyRequestStatus.InProgress, WorkflowStage.TellingSubject);
        RowFor(lifting, new NoticeDelivered(PrivacyNotice.RestrictionLifting))!.To.ShouldBe([RequestState.WaitingForHolders, RequestState.AwaitingHolders]);
        RowFor(lifting, new NoticeDelivered(PrivacyNotice.RequestCompleted)).ShouldBeNull();

        var notifying = Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.Completed, WorkflowStage.NotifyingSubject);
        RowFor(notifying, new NoticeFailed(PrivacyNotice.RequestCompleted))!.To.ShouldBe([RequestState.Closed]);
        RowFor(notifying, new NoticeFailed(PrivacyNotice.RestrictionLifting)).ShouldBeNull();
    }

    [Fact]
    public void Final_states_have_no_row_so_nothing_moves_a_closed_denied_or_cancelled_request()
    {
        RequestLifecycle.Table.Where(t => FinalStates.Contains(t.From)).ShouldBeEmpty();
    }

    [Fact]
    public void Every_open_state_has_a_transition_that_leaves_it()
    {
        foreach (var state in Enum.GetValues<RequestState>().Except(FinalStates))
        {
            RequestLifecycle.Table.ShouldContain(t => t.From == state && t.Verdict == Verdict.Taken && t.To.Any(to => to != state), $"{state} can be left");
        }
    }

    [Fact]
    public void No_row_comes_after_a_row_that_always_applies_to_the_same_state_and_event()
    {
        var shadowed = RequestLifecycle.Table
            .Select((row, index) => (row, index))
            .Where(x => RequestLifecycle.Table.Take(x.index).Any(earlier => earlier.From == x.row.From && earlier.On == x.row.On && earlier.When.Length == 0))
            .Select(x => $"{x.row.From} on {x.row.On.Name} ({x.row.When})")
            .ToList();

        shadowed.ShouldBeEmpty("a row after an unconditional one for the same state and event could never be reached");
    }

    [Theory]
    [InlineData(PrivacyRequestStatus.Received, WorkflowStage.NotStarted, RequestState.Received)]
    [InlineData(PrivacyRequestStatus.Approved, WorkflowStage.NotStarted, RequestState.Approved)]
    [InlineData(PrivacyRequestStatus.InProgress, WorkflowStage.LockingAccount, RequestState.LockingAccount)]
    [InlineData(PrivacyRequestStatus.InProgress, WorkflowStage.AwaitingHolders, RequestState.AwaitingHolders)]
    [InlineData(PrivacyRequestStatus.Completed, WorkflowStage.NotifyingSubject, RequestState.NotifyingSubject)]
    [InlineData(PrivacyRequestStatus.Completed, WorkflowStage.Closed, RequestState.Closed)]
    [InlineData(PrivacyRequestStatus.Denied, WorkflowStage.NotStarted, RequestState.Denied)]
    public void A_stored_status_and_stage_read_as_one_lifecycle_state(PrivacyRequestStatus status, WorkflowStage stage, RequestState state)
    {
        RequestStates.Of(Request(PrivacyRequestKind.Erasure, status, stage)).ShouldBe(state);
    }

    [Fact]
    public void Work_in_progress_without_a_stage_is_no_state_of_the_lifecycle()
    {
        Should.Throw<InvalidOperationException>(() => RequestStates.Of(Request(PrivacyRequestKind.Erasure, PrivacyRequestStatus.InProgress)));
    }
}
