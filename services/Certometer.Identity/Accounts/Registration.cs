using System.Net.Mail;
using System.Text.RegularExpressions;
using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Identity.Data;
using Certometer.Messaging.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Accounts;

/// <summary>A learner's sign-up: the profile the privacy policy lists, plus an explicit yes or no to each optional use.</summary>
/// <param name="Name">Required: the name printed on certificates and invoices.</param>
/// <param name="Email">Required: also the sign-in name; unique regardless of case.</param>
/// <param name="Password">Required: at least 12 characters.</param>
/// <param name="MarketingConsent">Required: true or false. Nothing is pre-ticked; consent must be a choice.</param>
/// <param name="AnalyticsConsent">Required: true or false.</param>
public sealed record RegisterLearnerRequest(
    string? Name,
    string? Email,
    string? Password,
    bool? MarketingConsent,
    bool? AnalyticsConsent,
    string? Phone = null,
    MailingAddressDto? MailingAddress = null,
    string? Company = null,
    string? JobRole = null,
    string? TeamSize = null,
    string? BusinessType = null,
    string? PreferredLanguage = null);

/// <summary>A mailing address; when given, line 1, city, postal code and country are required.</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, e.g. <c>DE</c>.</param>
public sealed record MailingAddressDto(string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country);

/// <summary>The new account's id; sign in through the authorization endpoint to get tokens.</summary>
public sealed record LearnerRegistration(Guid SubjectId);

internal static class RegistrationEndpoints
{
    public const string RegistrationSource = "registration";

    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous on purpose: signing up is how a visitor gets an account. Rate-limited per client address.
        app.MapPost("/api/accounts", Register)
            .AllowAnonymous()
            .WithTags("Accounts")
            .WithName("RegisterLearner")
            .WithSummary("Creates a learner account and records the consent choices made at sign-up.");
        return app;
    }

    private static async Task<Results<Created<LearnerRegistration>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterLearnerRequest request,
        UserManager<Account> accounts,
        IdentityDbContext db,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = ProfileValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.GetUtcNow();
        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name!.Trim(),
            Email = request.Email!.Trim(),
            UserName = request.Email!.Trim(),
            CreatedAt = now,
        };
        ProfileValidation.ApplyOptionalFields(account, request.Phone, request.MailingAddress, request.Company, request.JobRole,
            request.TeamSize, request.BusinessType, request.PreferredLanguage);

        // The account, its role and the two events commit together or not at all.
        var strategy = db.Database.CreateExecutionStrategy();
        IdentityResult? refused = null;
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            refused = await CreateAsync(accounts, account, request.Password!);
            if (refused is not null)
            {
                return;
            }

            db.AddIntegrationEvent(new LearnerRegistered(account.Id, account.Name, account.Email!, account.PreferredLanguage, now), clock);
            db.AddIntegrationEvent(
                new ConsentChoicesRecorded(account.Id, request.MarketingConsent!.Value, request.AnalyticsConsent!.Value, RegistrationSource, now),
                clock);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });

        if (refused is not null)
        {
            if (refused.Errors.Any(error => error.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                return TypedResults.Problem(
                    title: "An account with this email already exists.",
                    detail: "Sign in instead.",
                    statusCode: StatusCodes.Status409Conflict);
            }

            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["password"] = [.. refused.Errors.Select(error => error.Description)],
            });
        }

        return TypedResults.Created($"/api/accounts/{account.Id}", new LearnerRegistration(account.Id));
    }

    private static async Task<IdentityResult?> CreateAsync(UserManager<Account> accounts, Account account, string password)
    {
        IdentityResult result;
        try
        {
            result = await accounts.CreateAsync(account, password);
        }
        catch (DbUpdateException)
        {
            // Two sign-ups with the same address at the same moment: the unique index decides, the loser is told.
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(account.Email!));
        }

        if (!result.Succeeded)
        {
            return result;
        }

        var role = await accounts.AddToRoleAsync(account, PlatformRoles.Learner);
        return role.Succeeded ? null : role;
    }
}

/// <summary>The rules for profile fields, shared by sign-up and profile updates so the two can never disagree.</summary>
internal static partial class ProfileValidation
{
    public static Dictionary<string, string[]> Validate(RegisterLearnerRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateProfile(errors, request.Name, request.Email, request.Phone, request.MailingAddress, request.Company, request.JobRole,
            request.TeamSize, request.BusinessType, request.PreferredLanguage);

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["A password is required."];
        }

        if (request.MarketingConsent is null)
        {
            errors["marketingConsent"] = ["Say yes or no (true or false) to marketing email; nothing is assumed."];
        }

        if (request.AnalyticsConsent is null)
        {
            errors["analyticsConsent"] = ["Say yes or no (true or false) to analytics; nothing is assumed."];
        }

        return errors;
    }

    public static void ValidateProfile(
        Dictionary<string, string[]> errors,
        string? name,
        string? email,
        string? phone,
        MailingAddressDto? address,
        string? company,
        string? jobRole,
        string? teamSize,
        string? businessType,
        string? preferredLanguage)
    {
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

        LimitText(errors, "company", company);
        LimitText(errors, "jobRole", jobRole);
        LimitText(errors, "businessType", businessType);

        if (teamSize is not null && !TeamSizes.All.Contains(teamSize))
        {
            errors["teamSize"] = [$"The team size is one of: {string.Join(", ", TeamSizes.All)}."];
        }

        if (preferredLanguage is not null && !IsLanguageTag(preferredLanguage))
        {
            errors["preferredLanguage"] = ["The preferred language is a language tag such as en or de-CH."];
        }
    }

    public static void ApplyOptionalFields(
        Account account,
        string? phone,
        MailingAddressDto? address,
        string? company,
        string? jobRole,
        string? teamSize,
        string? businessType,
        string? preferredLanguage)
    {
        account.PhoneNumber = Blank(phone);
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
        account.Company = Blank(company);
        account.JobRole = Blank(jobRole);
        account.TeamSize = teamSize;
        account.BusinessType = Blank(businessType);
        account.PreferredLanguage = Blank(preferredLanguage);
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
