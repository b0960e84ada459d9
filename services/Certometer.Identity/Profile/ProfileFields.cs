using System.Net.Mail;
using System.Text.RegularExpressions;
using Certometer.Identity.Accounts;

namespace Certometer.Identity.Profile;

/// <summary>The profile the privacy policy lists, as sent at sign-up and on correction. Only name and email are required.</summary>
public interface IProfileFields
{
    string? Name { get; }

    string? Email { get; }

    string? Phone { get; }

    MailingAddressDto? MailingAddress { get; }

    string? Company { get; }

    string? JobRole { get; }

    /// <summary>One of <see cref="TeamSizes.All"/>.</summary>
    string? TeamSize { get; }

    string? BusinessType { get; }

    /// <summary>A language tag such as <c>en</c> or <c>de-CH</c>.</summary>
    string? PreferredLanguage { get; }
}

/// <summary>A mailing address; when given, line 1, city, postal code and country are required.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. <c>DE</c>.</param>
public sealed record MailingAddressDto(string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country);

/// <summary>The rules for profile fields, shared by sign-up and profile updates so the two can never disagree.</summary>
internal static partial class ProfileRules
{
    /// <summary>Every problem with the profile fields, keyed by the field's JSON name; empty when there is none.</summary>
    public static Dictionary<string, string[]> Validate(IProfileFields profile)
    {
        var errors = new Dictionary<string, string[]>();
        var (name, email, phone, address) = (profile.Name, profile.Email, profile.Phone, profile.MailingAddress);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["name"] = ["A name is required."];
        }
        else if (name.Trim().Length > Account.NameMaxLength)
        {
            errors["name"] = [$"The name can be at most {Account.NameMaxLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            errors["email"] = ["An email address is required."];
        }
        else if (!IsEmailAddress(email.Trim()))
        {
            errors["email"] = ["This is not an email address."];
        }

        if (phone is not null && !IsPhoneNumber(phone))
        {
            errors["phone"] = ["A phone number has 6 to 20 digits, optionally a leading +, spaces, dashes or parentheses."];
        }

        if (address is not null)
        {
            RequireText(errors, "mailingAddress.line1", address.Line1);
            RequireText(errors, "mailingAddress.city", address.City);
            RequireText(errors, "mailingAddress.postalCode", address.PostalCode);
            if (address.Country is null || address.Country.Length != 2 || !address.Country.All(char.IsAsciiLetter))
            {
                errors["mailingAddress.country"] = ["The country is a two-letter ISO 3166 code, e.g. DE."];
            }
        }

        LimitText(errors, "company", profile.Company);
        LimitText(errors, "jobRole", profile.JobRole);
        LimitText(errors, "businessType", profile.BusinessType);

        if (profile.TeamSize is not null && !TeamSizes.All.Contains(profile.TeamSize))
        {
            errors["teamSize"] = [$"The team size is one of: {string.Join(", ", TeamSizes.All)}."];
        }

        if (profile.PreferredLanguage is not null && !IsLanguageTag(profile.PreferredLanguage))
        {
            errors["preferredLanguage"] = ["The preferred language is a language tag such as en or de-CH."];
        }

        return errors;
    }

    /// <summary>Copies the optional fields onto the account; blank text becomes null, so "cleared" has one meaning.</summary>
    public static void ApplyOptionalFields(Account account, IProfileFields profile)
    {
        var address = profile.MailingAddress;
        account.PhoneNumber = Blank(profile.Phone);
        account.MailingAddress = address is null
            ? null
            : new MailingAddress
            {
                Line1 = address.Line1!.Trim(),
                Line2 = Blank(address.Line2),
                City = address.City!.Trim(),
                Region = Blank(address.Region),
                PostalCode = address.PostalCode!.Trim(),
                Country = address.Country!.ToUpperInvariant(),
            };
        account.Company = Blank(profile.Company);
        account.JobRole = Blank(profile.JobRole);
        account.TeamSize = profile.TeamSize;
        account.BusinessType = Blank(profile.BusinessType);
        account.PreferredLanguage = Blank(profile.PreferredLanguage);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void RequireText(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["Required when a mailing address is given."];
        }
        else
        {
            LimitText(errors, field, value);
        }
    }

    private static void LimitText(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is not null && value.Trim().Length > Account.TextMaxLength)
        {
            errors[field] = [$"At most {Account.TextMaxLength} characters."];
        }
    }

    private static bool IsEmailAddress(string value) =>
        value.Length <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal);

    private static bool IsPhoneNumber(string value)
    {
        var digits = value.Count(char.IsAsciiDigit);
        var allowed = value.TrimStart('+').All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')');
        return allowed && digits is >= 6 and <= 20 && value.LastIndexOf('+') <= 0;
    }

    private static bool IsLanguageTag(string value) => value.Length <= 35 && LanguageTag().IsMatch(value);

    // The shape of a BCP 47 tag (language, then optional script, region or variant subtags), e.g. en, de-CH, zh-Hant-TW.
    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
