using System.Net.Mail;
using Certometer.Persistence;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.PrivacyRights.Requests;

/// <summary>How every change to a request is made: under that request's lock, with its audit entry and event, in one commit.</summary>
internal static class RequestChanges
{
    public const int MaxReasonLength = 2000;

    /// <summary>
    /// Runs <paramref name="change"/> in a transaction that holds the lock of <paramref name="lockId"/> (the request
    /// changed; for an intake, the subject, whose open requests the duplicate check reads) from its first statement.
    /// The change reads the request after the lock, so two officers acting at once cannot both approve, and calls
    /// <see cref="DbContextTransactions.SaveAndCommitAsync"/> only on success: returning without it rolls everything back.
    /// </summary>
    public static Task<TResult> RunAsync<TResult>(
        PrivacyRightsDbContext db, Guid lockId, Func<CancellationToken, Task<TResult>> change, CancellationToken cancellationToken) =>
        RunLockedAsync(db, ct => RequestLocks.OneAsync(db, lockId, ct), change, cancellationToken);

    /// <summary>Runs a change that may touch any request (decommissioning a holder), with every other change held off.</summary>
    public static Task<TResult> RunExclusiveAsync<TResult>(
        PrivacyRightsDbContext db, Func<CancellationToken, Task<TResult>> change, CancellationToken cancellationToken) =>
        RunLockedAsync(db, ct => RequestLocks.AllAsync(db, ct), change, cancellationToken);

    private static Task<TResult> RunLockedAsync<TResult>(
        PrivacyRightsDbContext db, Func<CancellationToken, Task> takeLock, Func<CancellationToken, Task<TResult>> change, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            async ct =>
            {
                await takeLock(ct);
                return await change(ct);
            },
            cancellationToken);

    /// <summary>PostgreSQL keeps microseconds; a time is truncated once, so what is answered is what is stored.</summary>
    public static DateTimeOffset Now(TimeProvider clock) => AsStored(clock.GetUtcNow());

    /// <summary>A time as PostgreSQL will give it back (microseconds, UTC).</summary>
    public static DateTimeOffset AsStored(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    public static bool IsEmailAddress(string value) =>
        value.Length <= 254
        && MailAddress.TryCreate(value, out var parsed)
        && string.Equals(parsed.Address, value, StringComparison.Ordinal)
        && parsed.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>The reason, trimmed, or null with the validation errors to answer when it is missing or too long.</summary>
    public static string? ValidReason(DecisionReason? body, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors["reason"] = ["A reason is required: the subject must be told why."];
            return null;
        }

        if (reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"At most {MaxReasonLength} characters."];
            return null;
        }

        return reason;
    }

    /// <summary>A refused command as the 409 problem its caller is answered with.</summary>
    public static ProblemHttpResult AsProblem(this RequestRefusal refusal) =>
        TypedResults.Problem(
            title: refusal.Title,
            detail: refusal.Detail,
            statusCode: StatusCodes.Status409Conflict,
            extensions: refusal.Extensions is null ? null : new Dictionary<string, object?>(refusal.Extensions));
}
