namespace Certometer.Auth;

/// <summary>The roles Identity puts in access tokens.</summary>
public static class PlatformRoles
{
    public const string Learner = "learner";
    public const string ComplianceOfficer = "compliance-officer";
    public const string Operator = "operator";

    /// <summary>The role Identity gives client-credentials tokens: another service, never a person.</summary>
    public const string ServiceClient = "service";

    /// <summary>The roles a person can hold.</summary>
    public static IReadOnlyList<string> People { get; } = [Learner, ComplianceOfficer, Operator];
}
