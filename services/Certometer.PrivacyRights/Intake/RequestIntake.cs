using System.Net.Mail;
using Certometer.Contracts.Privacy;
using Certometer.Messaging.Outbox;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Data;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Intake;

/// <summary>A request about to be received, from whichever channel, with the subject already established.</summary>
/// <param name="Actor">Who made it, for the audit log (which stores only its pseudonym): the subject, or the officer acting for them.</param>
internal sealed record IncomingRequest(
    Guid SubjectId,
    PrivacyRequestKind Kind,
    string? ContactEmail,
    RequestChannel Channel,
    string Actor,
    string? VerificationNote = null);

/// <summary>
/// The one way a request is received, whatever the channel: the same duplicate rule, deadline, audit entry and
/// <see cref="PrivacyRequestReceived"/> event, so no channel can make a request the others could not.
/// </summary>
internal sealed class RequestIntake(AuditChain audit, RequestLifecycle lifecycle, IOptions<PrivacyRightsOptions> options, TimeProvider clock)
{
    /// <summary>The kind, or null with the error added when it is missing or unknown.</summary>
    public static PrivacyRequestKind? ValidKind(PrivacyRequestKind? kind, Dictionary<string, string[]> errors)
    {
        if (kind is { } k && Enum.IsDefined(k))
        {
            return k;
        }

        errors["kind"] = [$"One of: {string.Join(", ", Enum.GetNames<PrivacyRequestKind>())}."];
        return null;
    }

    /// <summary>The contact address, trimmed, or null when none was given; adds an error under <paramref name="field"/> when it is not an address.</summary>
    public static string? ValidEmail(string? email, Dictionary<string, string[]> errors, string field = "contactEmail")
    {
        var trimmed = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (trimmed is not null && !IsEmailAddress(trimmed))
        {
            errors[field] = ["Not an email address."];
        }

        return trimmed;
    }

    /// <summary>A bare address on a dotted domain, at most 254 characters: what Notifications can write to.</summary>
    public static bool IsEmailAddress(string value) =>
        value.Length <= 254
        && MailAddress.TryCreate(value, out var parsed)
        && string.Equals(parsed.Address, value, StringComparison.Ordinal)
        && parsed.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// Stages the request, its audit entry and its event, or answers 409 naming the open request of the same kind.
    /// Call inside <see cref="RequestChanges.RunAsync"/>; the caller commits, after anything else that must commit with it.
    /// </summary>
    public async Task<(PrivacyRequest? Received, ProblemHttpResult? Duplicate)> ReceiveAsync(
        PrivacyRightsDbContext db, IncomingRequest incoming, CancellationToken cancellationToken)
    {
        // The subject's lock makes the duplicate check and the insert one step, whichever channel the request came by.
        await RequestLocks.OneAsync(db, incoming.SubjectId, cancellationToken);
        var existing = await db.Requests.AsNoTracking()
            .Where(r => r.SubjectId == incoming.SubjectId && r.Kind == incoming.Kind && PrivacyRequest.OpenStatuses.Contains(r.Status))
            .Select(r => (Guid?)r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is { } existingId)
        {
            return (null, TypedResults.Problem(
                title: "An open request of this kind already exists.",
                detail: $"Request {existingId} is still open; follow or cancel it instead of making another.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["existingRequestId"] = existingId }));
        }

        var now = StoredTime.Now(clock);
        var request = new PrivacyRequest
        {
            Id = Guid.CreateVersion7(now),
            SubjectId = incoming.SubjectId,
            Kind = incoming.Kind,
            Status = PrivacyRequestStatus.Received,
            ContactEmail = incoming.ContactEmail,
            ReceivedAt = now,
            Deadline = options.Value.DeadlineFrom(now),
            Channel = incoming.Channel,
            VerificationNote = incoming.VerificationNote,
            FiledBy = incoming.Channel == RequestChannel.Staff ? incoming.Actor : null,
        };
        db.Requests.Add(request);
        await audit.AppendAsync(db, request.Id, AuditActionFor(incoming.Channel), incoming.Actor, now, cancellationToken);
        db.AddIntegrationEvent(new PrivacyRequestReceived(request.Id, request.SubjectId, request.Kind, now, request.Deadline), clock);
        await lifecycle.OnReceivedAsync(request, now, cancellationToken);
        return (request, null);
    }

    // The action names the channel, so the chain alone shows who stood behind each request; the note never goes there.
    private static string AuditActionFor(RequestChannel channel) => channel switch
    {
        RequestChannel.Staff => "ReceivedOnBehalf",
        RequestChannel.EmailVerified => "ReceivedEmailVerified",
        _ => "Received",
    };
}
