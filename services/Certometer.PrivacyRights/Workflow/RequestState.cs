using Certometer.PrivacyRights.Requests;

namespace Certometer.PrivacyRights.Workflow;

/// <summary>Where a request stands in its lifecycle: its status and workflow stage read as one value.</summary>
public enum RequestState
{
    /// <summary>Made, awaiting a compliance decision.</summary>
    Received,

    /// <summary>Approved; the work starts at <see cref="PrivacyRequest.WorkStartsAt"/> (after an erasure's cooling-off period).</summary>
    Approved,

    /// <summary>Erasure: Identity is asked to lock the account, so no new data arrives while the holders erase.</summary>
    LockingAccount,

    /// <summary>Lifting a restriction: the subject must be told before processing resumes (GDPR art. 18(3)).</summary>
    TellingSubject,

    /// <summary>The registry lacks a required holder (or has none): nobody is asked until it is complete.</summary>
    WaitingForHolders,

    /// <summary>Every declared holder has been asked; waiting for each one's answer.</summary>
    AwaitingHolders,

    /// <summary>Completed; waiting for the subject to be told before the contact address is dropped.</summary>
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
