using Certometer.PrivacyRights.Requests;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>Where a request stands in its lifecycle: its status and workflow stage read as one value.</summary>
public enum RequestState
{
    /// <inheritdoc cref="PrivacyRequestStatus.Received"/>
    Received,

    /// <inheritdoc cref="PrivacyRequestStatus.Approved"/>
    Approved,

    /// <inheritdoc cref="WorkflowStage.LockingAccount"/>
    LockingAccount,

    /// <inheritdoc cref="WorkflowStage.TellingSubject"/>
    TellingSubject,

    /// <inheritdoc cref="WorkflowStage.WaitingForHolders"/>
    WaitingForHolders,

    /// <inheritdoc cref="WorkflowStage.AwaitingHolders"/>
    AwaitingHolders,

    /// <inheritdoc cref="WorkflowStage.NotifyingSubject"/>
    NotifyingSubject,

    /// <summary>Completed, and nothing is left to do.</summary>
    Closed,

    /// <summary>Refused by compliance staff, with the reason the subject was given.</summary>
    Denied,

    /// <summary>Withdrawn by the subject before any work started.</summary>
    Cancelled,
}

/// <summary>Reads a request's stored status and stage as its <see cref="RequestState"/>.</summary>
public static class RequestStates
{
    public static RequestState Of(PrivacyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.Status, request.Stage) switch
        {
            (PrivacyRequestStatus.Received, _) => RequestState.Received,
            (PrivacyRequestStatus.Approved, _) => RequestState.Approved,
            (PrivacyRequestStatus.InProgress, WorkflowStage.LockingAccount) => RequestState.LockingAccount,
            (PrivacyRequestStatus.InProgress, WorkflowStage.TellingSubject) => RequestState.TellingSubject,
            (PrivacyRequestStatus.InProgress, WorkflowStage.WaitingForHolders) => RequestState.WaitingForHolders,
            (PrivacyRequestStatus.InProgress, WorkflowStage.AwaitingHolders) => RequestState.AwaitingHolders,
            (PrivacyRequestStatus.Completed, WorkflowStage.NotifyingSubject) => RequestState.NotifyingSubject,
            (PrivacyRequestStatus.Completed, WorkflowStage.Closed) => RequestState.Closed,
            (PrivacyRequestStatus.Denied, _) => RequestState.Denied,
            (PrivacyRequestStatus.Cancelled, _) => RequestState.Cancelled,
            var (status, stage) => throw new InvalidOperationException(
                $"Request {request.Id} is {status} at stage {stage}, which no state of the request lifecycle describes."),
        };
    }
}
