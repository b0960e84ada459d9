using System.ComponentModel.DataAnnotations;

namespace Certometer.PrivacyRights.Portability;

/// <summary>Limits on delivering a portability package to another organisation's endpoint.</summary>
public sealed class PortabilityDeliveryOptions
{
    public const string SectionName = "PrivacyRights:Portability";

    /// <summary>
    /// Ports a target may name; empty means 443 only. (Configuration binding appends to a pre-filled list, so the
    /// default lives in <see cref="PermittedPorts"/> instead of here.)
    /// </summary>
    public IList<int> AllowedPorts { get; } = [];

    /// <summary>Everything one delivery may take, retries and reading the answer included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "PrivacyRights:Portability:Timeout must be between 1 second and 10 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt, from connecting to the receiver's response headers.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "PrivacyRights:Portability:AttemptTimeout must be between 1 second and 10 minutes.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "PrivacyRights:Portability:ConnectTimeout must be between 1 second and 2 minutes.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per delivery, the first included; retries are safe only because every attempt carries the same Idempotency-Key.</summary>
    [Range(1, 10, ErrorMessage = "PrivacyRights:Portability:MaxAttempts must be between 1 and 10.")]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How much of the receiver's answer is read and kept; the rest is never read.</summary>
    [Range(0, 1024 * 1024, ErrorMessage = "PrivacyRights:Portability:MaxResponseBytes must be between 0 and 1048576.")]
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Lets deliveries reach loopback addresses so a test or a developer can run a receiver on this machine. Refused at
    /// start-up in any environment other than Development, Test or Testing: in production it would let a caller
    /// reach services listening on the host itself.
    /// </summary>
    public bool AllowLoopbackForTesting { get; set; }

    public IReadOnlyCollection<int> PermittedPorts => AllowedPorts.Count == 0 ? [443] : [.. AllowedPorts];
}
