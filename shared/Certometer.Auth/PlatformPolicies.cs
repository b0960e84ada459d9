namespace Certometer.Auth;

/// <summary>
/// The named authorization policies every endpoint chooses from. Each one also requires the calling token to carry
/// the scope of the API it is presented to; the audience is checked before any policy runs.
/// </summary>
public static class PlatformPolicies
{
    /// <summary>Any signed-in person (learner or staff) acting on their own data.</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Staff who handle data-subject requests.</summary>
    public const string ComplianceOfficer = "compliance-officer";

    /// <summary>Staff who run the platform: catalogue, configuration, reports.</summary>
    public const string Operator = "operator";

    /// <summary>Another Certometer service, calling with a client-credentials token (no person behind it).</summary>
    public const string Service = "service";
}
