namespace Certometer.Messaging.Outbox;

/// <summary>An integration event waiting in a service's own database until the broker has confirmed it.</summary>
/// <remarks>
/// The row is written in the same transaction as the state change it announces, so the change and the
/// event exist together or not at all. <see cref="Id"/> becomes the MassTransit message id, which is what
/// consumers' inboxes deduplicate on when a row is published more than once.
/// </remarks>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }

    /// <summary>Type name resolvable with <see cref="Type.GetType(string)"/>: full name and assembly name, no version.</summary>
    public required string MessageType { get; init; }

    public required string Payload { get; init; }

    /// <summary>
    /// Every id the payload names, wherever in it: what an erasure looks a subject's delivered events up by (an
    /// index), where reading every retained payload made each erasure cost as much as a day's events.
    /// </summary>
    public Guid[] Mentions { get; init; } = [];

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Not before this time: pushed forward after a failed publish, to back off.</summary>
    public DateTimeOffset AvailableAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>The dispatcher instance holding the lease, or null when nobody does.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>A lease past this time is abandoned (its dispatcher died) and the row may be claimed again.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Exception type and broker message of the last failed publish; never the payload.</summary>
    public string? LastError { get; set; }

    /// <summary>Set when an erasure found this event, unsent, naming the subject: it is still delivered, and its payload emptied once confirmed.</summary>
    public bool ForgetPayloadOnceSent { get; set; }
}
