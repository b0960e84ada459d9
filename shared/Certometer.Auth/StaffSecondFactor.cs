using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Certometer.Auth;

/// <summary>
/// Whether staff must prove a second factor (an authenticator code) as well as their password: Identity asks for it at
/// sign-in, and every API's staff policies refuse a token that does not say it was given.
/// </summary>
public static class StaffSecondFactor
{
    /// <summary>The setting, <c>Identity:RequireStaffSecondFactor</c>; when absent, required everywhere but Development.</summary>
    public const string SettingName = PlatformAuthentication.SectionName + ":RequireStaffSecondFactor";

    /// <summary>The <c>amr</c> claim (RFC 8176) in tokens, and the value that says more than one factor was proven.</summary>
    public const string MethodsClaim = "amr";

    public const string MultipleFactors = "mfa";

    /// <summary>The roles that administer other people's data or the platform, and so need the second factor.</summary>
    public static IReadOnlyList<string> Roles { get; } = [PlatformRoles.ComplianceOfficer, PlatformRoles.Operator];

    public static bool IsRequired(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        return configuration.GetValue<bool?>(SettingName) ?? !environment.IsDevelopment();
    }
}
