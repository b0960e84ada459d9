using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.PrivacyRights.Access;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>Something that happens to a request: what <see cref="RequestLifecycle"/>'s table is keyed by, with its details.</summary>
internal abstract record RequestEvent;

/// <summary>
/// What a person asks of a request. Where the table has no transition for it the command is refused, and the caller
/// answers 409 with <see cref="RefusedTitle"/>: the person must learn that nothing happened.
/// </summary>
internal abstract record RequestCommand(string Actor) : RequestEvent
{
    public abstract string RefusedTitle { get; }
}

/// <summary>Compliance staff approve a received request, or intake approves an objection, which needs no decision.</summary>
internal sealed record ApproveRequest(string Actor, bool Automatically = false) : RequestCommand(Actor)
{
    public override string RefusedTitle => "Only a received request can be decided.";
}

internal sealed record DenyRequest(string Actor, string Reason) : RequestCommand(Actor)
{
    public override string RefusedTitle => "Only a received request can be decided.";
}

internal sealed record ExtendDeadline(string Actor, string Reason) : RequestCommand(Actor)
{
    public override string RefusedTitle => "Only an open request can be extended.";
}

/// <summary>The subject withdraws their request; <see cref="RequestCommand.Actor"/> is their id.</summary>
internal sealed record CancelRequest(string Actor) : RequestCommand(Actor)
{
    public override string RefusedTitle => "This request can no longer be cancelled.";
}

/// <summary>Compliance staff start approved work now, or ask every silent party again without waiting for the back-off.</summary>
internal sealed record StartWork(string Actor) : RequestCommand(Actor)
{
    public override string RefusedTitle => "Only approved or in-progress work can be started.";
}

/// <summary>
/// An answer from another service or a tick of the clock. Where the table has no transition for it the signal is
/// ignored, which is what makes a redelivered answer, a late answer and a second tick harmless.
/// </summary>
internal abstract record RequestSignal : RequestEvent;

/// <summary>The workflow clock visiting a request that may have work due.</summary>
internal sealed record ClockTicked : RequestSignal;

/// <summary>Identity locked the account (or found none), and said where to write to the subject afterwards.</summary>
internal sealed record AccountLockAnswered(AccountLocked Answer) : RequestSignal;

/// <summary>A holder's receipt, export part, or confirmation that it restricted or resumed processing.</summary>
internal sealed record HolderAnswered(string Service, object Answer, ExportPart? Part = null) : RequestSignal;

/// <summary>Compliance staff took <see cref="Service"/> out of the registry: it will never answer.</summary>
internal sealed record HolderRetired(string Service, string Reason, string Officer) : RequestSignal;

internal sealed record NoticeDelivered(PrivacyNotice Notice) : RequestSignal;

/// <summary>Notifications gave up on a notice after its retries.</summary>
internal sealed record NoticeFailed(PrivacyNotice Notice) : RequestSignal;
