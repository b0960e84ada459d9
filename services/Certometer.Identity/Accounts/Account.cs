using Microsoft.AspNetCore.Identity;

namespace Certometer.Identity.Accounts;

/// <summary>A person's account: sign-in credentials plus the profile the privacy policy lists.</summary>
/// <remarks>The email is also the user name; the phone number is <see cref="IdentityUser{TKey}.PhoneNumber"/>.</remarks>
public sealed class Account : IdentityUser<Guid>
{
    public const int NameMaxLength = 200;
    public const int TextMaxLength = 200;

    public required string Name { get; set; }

    public MailingAddress? MailingAddress { get; set; }

    public string? Company { get; set; }

    public string? JobRole { get; set; }

    /// <summary>One of <see cref="TeamSizes.All"/>.</summary>
    public string? TeamSize { get; set; }

    public string? BusinessType { get; set; }

    public string? PreferredLanguage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set while the subject has restricted processing: the profile is kept but not used beyond signing in.</summary>
    public bool ProcessingRestricted { get; set; }

    /// <summary>
    /// An address the person asked to sign in with instead, kept only until its owner opens the confirmation link sent
    /// there; the account goes on using <see cref="IdentityUser{TKey}.Email"/> until then.
    /// </summary>
    public string? PendingEmail { get; set; }

    /// <summary>When the link for <see cref="PendingEmail"/> stops working; retention forgets the address after that.</summary>
    public DateTimeOffset? PendingEmailExpiresAt { get; set; }

    /// <summary>The marketing choice made at sign-up, kept only until the address is confirmed and the choice recorded.</summary>
    public bool? SignUpMarketingConsent { get; set; }

    /// <summary>The analytics choice made at sign-up, likewise.</summary>
    public bool? SignUpAnalyticsConsent { get; set; }

    /// <summary>When the account was locked for erasure; a locked account can never sign in or refresh a token again.</summary>
    public DateTimeOffset? LockedForErasureAt { get; set; }
}

/// <summary>A postal address, as printed on invoices and certificates sent by post.</summary>
public sealed class MailingAddress
{
    public required string Line1 { get; set; }

    public string? Line2 { get; set; }

    public required string City { get; set; }

    public string? Region { get; set; }

    public required string PostalCode { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code, upper case.</summary>
    public required string Country { get; set; }
}

/// <summary>The team-size bands a learner can pick from; free text would make the field useless for reports.</summary>
public static class TeamSizes
{
    public static IReadOnlyList<string> All { get; } = ["1", "2-10", "11-50", "51-200", "201-1000", "1000+"];
}

/// <summary>One attempt to sign in to an existing account, kept to detect account takeover.</summary>
public sealed class SignInRecord
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid AccountId { get; init; }

    public DateTimeOffset At { get; init; }

    public bool Succeeded { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>What was checked: <see cref="SignInMethods.Password"/> or <see cref="SignInMethods.AuthenticatorCode"/>.</summary>
    public string Method { get; init; } = SignInMethods.Password;
}

/// <summary>
/// The ways a person proves who they are, named as RFC 8176 names them for the <c>amr</c> claim; each is locked out on
/// its own, so guessing codes does not lock out passwords and the reverse.
/// </summary>
public static class SignInMethods
{
    public const string Password = "pwd";

    public const string AuthenticatorCode = "otp";
}
