using System.ComponentModel.DataAnnotations;

namespace Certometer.Messaging.Outbox;

/// <summary>How the outbox dispatcher claims, publishes, retries and cleans up rows. Section <c>Messaging:Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Messaging:Outbox";

    /// <summary>How long to sleep when there is nothing to send and no commit has signalled new rows.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claimed row stays reserved; a dispatcher that dies leaves rows that free up after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the broker's publisher confirm before the row is released for a later retry.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sent rows are kept this long for diagnosis, then deleted.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Inbox rows must outlive any redelivery of the same message, or a late duplicate would apply twice.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Event types (outbox type names) whose payload carries a secret, such as a one-time code: once the broker has
    /// confirmed one, its row keeps only an empty payload for the rest of <see cref="SentRetention"/>.
    /// </summary>
    public ISet<string> PayloadsForgottenOnceSent { get; } = new HashSet<string>(StringComparer.Ordinal);
}
