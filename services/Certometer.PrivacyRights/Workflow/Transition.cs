using Certometer.PrivacyRights.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>What a transition does with an event: takes it, refuses it (a command, answered 409), or ignores it.</summary>
public enum Verdict
{
    Taken,
    Refused,
    Ignored,
}

/// <summary>What a guard and an effect see: the request, the event, the time and the workflow's settings.</summary>
internal sealed record TransitionContext(PrivacyRequest Request, RequestEvent Event, DateTimeOffset Now, WorkflowOptions Options);

/// <summary>Why a command was refused, in the words the caller is answered with.</summary>
internal sealed record RequestRefusal(
    string Title, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null, int StatusCode = StatusCodes.Status409Conflict)
{
    /// <summary>The problem (409 unless the refusal says otherwise) the caller of a refused command is answered with.</summary>
    public ProblemHttpResult ToProblem() =>
        TypedResults.Problem(
            title: Title,
            detail: Detail,
            statusCode: StatusCode,
            extensions: Extensions is null ? null : new Dictionary<string, object?>(Extensions));
}

/// <summary>
/// One row of the lifecycle table: in state <see cref="From"/>, event <see cref="On"/>, when <see cref="When"/> holds,
/// the request ends in one of <see cref="To"/> having done <see cref="Does"/>.
/// </summary>
internal sealed class Transition
{
    public required RequestState From { get; init; }

    public required Type On { get; init; }

    /// <summary>The guard in words; empty when the row always applies.</summary>
    public required string When { get; init; }

    public required Verdict Verdict { get; init; }

    /// <summary>The states a taken transition may end in (an effect may branch on what the database holds); empty otherwise.</summary>
    public IReadOnlyList<RequestState> To { get; init; } = [];

    public required string Does { get; init; }

    public required Func<TransitionContext, bool> Applies { get; init; }

    public Func<RequestLifecycle, TransitionContext, CancellationToken, Task>? Effect { get; init; }

    public Func<TransitionContext, RequestRefusal>? Refusal { get; init; }

    /// <summary>The HTTP status a refusal by this row is answered with.</summary>
    public int RefusedWith { get; init; } = StatusCodes.Status409Conflict;
}

/// <summary>What firing an event did and when: the verdict, the state before and after, and for a refusal, why.</summary>
internal sealed record TransitionOutcome(
    Verdict Verdict, RequestState From, RequestState To, DateTimeOffset At, Transition? Rule, RequestRefusal? Refusal = null)
{
    public bool WasRefused => Verdict == Verdict.Refused;
}
