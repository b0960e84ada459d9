using System.ComponentModel.DataAnnotations;

namespace Certometer.Billing.Gateway;

/// <summary>Which payment gateway Billing uses and how it trusts the gateway's webhooks (section <c>Billing:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Billing:Gateway";

    public const string SandboxProvider = "Sandbox";

    /// <summary>The gateway implementation; <c>Sandbox</c> is the only one so far.</summary>
    [Required(ErrorMessage = "Billing:Gateway:Provider is required: name the payment gateway (Sandbox).")]
    [AllowedValues(SandboxProvider, ErrorMessage = "Billing:Gateway:Provider must be Sandbox, the only gateway implemented.")]
    public string? Provider { get; set; }

    /// <summary>The secret the gateway signs webhooks with (HMAC-SHA256); shared with the gateway, never logged.</summary>
    [Required(ErrorMessage = "Billing:Gateway:WebhookSecret is required: the secret the payment gateway signs its webhooks with.")]
    [MinLength(32, ErrorMessage = "Billing:Gateway:WebhookSecret must be at least 32 characters.")]
    public string? WebhookSecret { get; set; }

    /// <summary>How far a webhook's signed timestamp may be from now before it is refused as a possible replay.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:30:00")]
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Lets the sandbox run outside Development, for a test or staging environment. The sandbox takes any Luhn-valid
    /// card and exposes an anonymous tokenization endpoint, so production must name a real provider instead.
    /// </summary>
    public bool AllowSandbox { get; set; }

    /// <summary>How the sandbox plays the gateway's asynchronous confirmations.</summary>
    public SandboxOptions Sandbox { get; set; } = new();

    public bool UsesSandbox => string.Equals(Provider, SandboxProvider, StringComparison.Ordinal);
}

/// <summary>The sandbox gateway's webhook behaviour (section <c>Billing:Gateway:Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    /// <summary>Where the sandbox sends confirmation webhooks (Billing's own webhook endpoint); none are sent when unset.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How long the "cardholder" takes to confirm a charge that needs confirmation.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ConfirmationDelay { get; set; } = TimeSpan.FromSeconds(2);
}
