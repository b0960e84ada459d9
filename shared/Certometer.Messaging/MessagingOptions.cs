using System.ComponentModel.DataAnnotations;

namespace Certometer.Messaging;

/// <summary>Broker topology and consumer retry settings. Section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>Quorum queues replicate across a RabbitMQ cluster; classic durable queues suit a single local broker.</summary>
    public bool UseQuorumQueues { get; set; }

    /// <summary>In-process redeliveries, with exponential back-off, before a message is parked as a dead letter (<c>dead_letters</c>).</summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;

    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 1000)]
    public int PrefetchCount { get; set; } = 32;

    /// <summary>How long a message that failed its retries stays parked in the service's database before it is deleted.</summary>
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the service looks for dead letters an operator asked to replay.</summary>
    public TimeSpan DeadLetterReplayInterval { get; set; } = TimeSpan.FromSeconds(5);
}
