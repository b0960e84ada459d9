using Certometer.Contracts.Privacy;

namespace Certometer.Notifications.Delivery;

/// <summary>The kinds of message Notifications sends; each has a template per language.</summary>
public enum MessageKind
{
    Welcome,
    EnrollmentConfirmation,
    PaymentReceipt,
    CertificateIssued,
    Marketing,
    PrivacyRequestReceived,
    PrivacyRequestExtended,
    PrivacyRequestDenied,
    PrivacyRequestVerification,
    PolicyChangeNotice,
    PrivacyRequestCompleted,
    PrivacyRestrictionLifting,
    PrivacyRequestCancelled,
    PaymentDeclined,
    EmailChangeConfirmation,
    EmailChangeNotice,
    SignUpConfirmation,
    ExistingAccountNotice,
}

/// <summary>Where a message is in its delivery.</summary>
public enum DeliveryStatus
{
    Queued,
    Sent,
    Failed,
}

/// <summary>
/// One email, rendered when queued and kept as the delivery log: how often it was tried, the last error, when it went.
/// </summary>
public sealed class OutgoingMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>What this message is about (e.g. <c>enrollment:{id}</c>): one message per fact, however often the fact arrives.</summary>
    public required string DeduplicationKey { get; init; }

    /// <summary>Null for a message to someone already forgotten (an erasure's completion), whose address goes once it is sent.</summary>
    public Guid? SubjectId { get; set; }

    public MessageKind Kind { get; init; }

    public required string ToAddress { get; set; }

    public required string Language { get; init; }

    public required string Subject { get; set; }

    public required string TextBody { get; set; }

    public required string HtmlBody { get; set; }

    /// <summary>For a notice PrivacyRights waits for (<see cref="PrivacyNotices.NoticeOf"/>): the request it is about, to report its delivery.</summary>
    public Guid? PrivacyRequestId { get; init; }

    /// <summary>Marketing only: the signed link that unsubscribes without signing in.</summary>
    public string? UnsubscribeUrl { get; init; }

    public DeliveryStatus Status { get; set; } = DeliveryStatus.Queued;

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Not before this time: a lease while a sender holds it, or the back-off after a failure.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The SMTP error of the last failed attempt; never the message content.</summary>
    public string? LastError { get; set; }

    /// <summary>Whether the body holds a secret (a one-time code or link) that the delivery log must not keep once delivery is over.</summary>
    public bool HoldsSecret => Kind is MessageKind.PrivacyRequestVerification or MessageKind.EmailChangeConfirmation or MessageKind.EmailChangeNotice
        or MessageKind.SignUpConfirmation;

    /// <summary>
    /// Replaces a body holding a secret once it is sent or given up on: the log still shows that the message went,
    /// when and where, but a copy of the database no longer holds a code that could be used.
    /// </summary>
    public void ForgetSecret()
    {
        if (HoldsSecret)
        {
            TextBody = SecretRemoved;
            HtmlBody = SecretRemoved;
        }
    }

    private const string SecretRemoved = "(Removed once delivery was over: this message contained a one-time code or link.)";
}

/// <summary>Which messages are notices that PrivacyRights waits for before its next step.</summary>
public static class PrivacyNotices
{
    public static PrivacyNotice? NoticeOf(MessageKind kind) => kind switch
    {
        MessageKind.PrivacyRequestCompleted => PrivacyNotice.RequestCompleted,
        MessageKind.PrivacyRestrictionLifting => PrivacyNotice.RestrictionLifting,
        _ => null,
    };
}
