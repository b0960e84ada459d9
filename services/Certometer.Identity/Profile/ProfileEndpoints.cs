using System.Security.Claims;
using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Certometer.Identity.SignIn;
using Certometer.Identity.Tokens;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certometer.Identity.Profile;

/// <summary>The signed-in person's own profile.</summary>
public sealed record ProfileResponse(
    Guid SubjectId,
    string Name,
    string Email,
    string? Phone,
    MailingAddressDto? MailingAddress,
    string? Company,
    string? JobRole,
    string? TeamSize,
    string? BusinessType,
    string? PreferredLanguage,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    string? PendingEmail);

/// <summary>
/// The whole profile as it should be from now on (rectification): name and email are required, an optional field
/// left out or null is cleared. Every service holding a copy of a changed field is told. A new email address needs
/// <paramref name="CurrentPassword"/> and takes effect only once confirmed through the link sent to it.
/// </summary>
/// <param name="CurrentPassword">Required only when the email address changes.</param>
public sealed record UpdateProfileRequest(
    string? Name,
    string? Email,
    string? Phone = null,
    MailingAddressDto? MailingAddress = null,
    string? Company = null,
    string? JobRole = null,
    string? TeamSize = null,
    string? BusinessType = null,
    string? PreferredLanguage = null,
    string? CurrentPassword = null) : IProfileFields;

/// <summary>The account and token from the link in a sign-up or address-change email.</summary>
public sealed record EmailConfirmationRequest(Guid? SubjectId, string? Token);

internal static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfileEndpoints(this IEndpointRouteBuilder app)
    {
        // The subject comes from the token, never from the URL: there is no way to name another person's profile.
        var me = app.MapGroup("/api/me").WithTags("Profile").RequireAuthorization(PlatformPolicies.SignedIn);
        me.MapGet("/", GetProfile).WithName("GetMyProfile").WithSummary("The signed-in person's profile.");
        me.MapPut("/", UpdateProfile).WithName("UpdateMyProfile")
            .WithSummary("Corrects the signed-in person's profile and tells every service that holds a copy; a new email address waits for confirmation.");

        // Anonymous on purpose: the link's token is the proof, and it reaches only whoever reads the new address.
        app.MapPost("/api/accounts/email-confirmations", ConfirmEmail)
            .AllowAnonymous()
            .WithTags("Profile")
            .WithName("ConfirmEmailAddress")
            .WithSummary("Confirms the address a sign-up or address-change link was sent to: the new account starts, or the change is made.");
        return app;
    }

    private static async Task<Results<Ok<ProfileResponse>, NotFound>> GetProfile(
        ClaimsPrincipal user, UserManager<Account> accounts, CancellationToken cancellationToken)
    {
        var account = await FindAsync(user, accounts);
        return account is null ? TypedResults.NotFound() : TypedResults.Ok(await ToResponseAsync(account, accounts));
    }

    private static async Task<Results<Ok<ProfileResponse>, ValidationProblem, ProblemHttpResult, NotFound>> UpdateProfile(
        UpdateProfileRequest request,
        ClaimsPrincipal user,
        HttpContext http,
        UserManager<Account> accounts,
        PasswordAttempts passwords,
        EmailChange emailChange,
        IOptions<OidcOptions> oidc,
        IdentityDbContext db,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = ProfileRules.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var account = await FindAsync(user, accounts);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var email = request.Email!.Trim();
        // A new address, not the same one in other letter case: that reaches the same mailbox and is corrected at once.
        var newAddress = !string.Equals(accounts.NormalizeEmail(email), account.NormalizedEmail, StringComparison.Ordinal);
        if (newAddress)
        {
            if (string.IsNullOrEmpty(request.CurrentPassword))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["currentPassword"] = ["Give your current password to change the email address."],
                });
            }

            // Checked before anything else about the address, so a stolen token learns nothing, not even which addresses are taken.
            var check = await passwords.CheckAsync(account, request.CurrentPassword, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            if (!check.Succeeded)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["currentPassword"] = [check.IsLockedOut
                        ? $"Too many wrong passwords from this address; try again in {PasswordAttempts.Lockout.TotalMinutes:0} minutes."
                        : "That is not the account's current password."],
                });
            }

            // A sign-up nobody confirmed does not count: the link this change sends proves the address, and its confirmation
            // replaces the waiting account.
            var owner = await accounts.FindByEmailAsync(email);
            if (owner is { EmailConfirmed: true } && owner.Id != account.Id)
            {
                return AddressTaken("Choose another address, or sign in to the account that uses it.");
            }
        }

        var before = RectifiableFields.Of(account);
        account.Name = request.Name!.Trim();
        ProfileRules.ApplyOptionalFields(account, request);
        if (newAddress)
        {
            await emailChange.RequestAsync(account, email, PublicLinks.BaseOf(oidc.Value, http.Request));
        }
        else if (!string.Equals(email, account.Email, StringComparison.Ordinal))
        {
            account.Email = email;
            account.UserName = email;
        }

        var changed = RectifiableFields.Changes(before, RectifiableFields.Of(account));
        if (changed.Count > 0)
        {
            // The profile and the rectification event commit in one SaveChanges, so no holder misses a correction.
            db.AddIntegrationEvent(new SubjectDataRectified(account.Id, changed, clock.GetUtcNow()), clock);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ToResponseAsync(account, accounts));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ConfirmEmail(
        EmailConfirmationRequest request, AddressConfirmation confirmation, CancellationToken cancellationToken)
    {
        if (request.SubjectId is not { } subjectId || string.IsNullOrWhiteSpace(request.Token))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["link"] = ["Give the subjectId and token from the confirmation link."],
            });
        }

        return await confirmation.ConfirmAsync(subjectId, request.Token, cancellationToken) switch
        {
            AddressConfirmationOutcome.Confirmed => TypedResults.NoContent(),
            AddressConfirmationOutcome.AddressTaken => AddressTaken("The address was taken after the change was asked for; the account keeps its current address."),
            _ => TypedResults.Problem(
                title: "This confirmation link does not work.",
                detail: "It was already used, has expired, or a later one replaced it. Sign up again, or ask for the change again from your profile.",
                statusCode: StatusCodes.Status400BadRequest),
        };
    }

    private static ProblemHttpResult AddressTaken(string detail) =>
        TypedResults.Problem(title: "Another account already uses this email.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    private static async Task<Account?> FindAsync(ClaimsPrincipal user, UserManager<Account> accounts) =>
        CallerSubject.Of(user) is { } subject ? await accounts.FindByIdAsync(subject.ToString()) : null;

    private static async Task<ProfileResponse> ToResponseAsync(Account account, UserManager<Account> accounts) => new(
        account.Id,
        account.Name,
        account.Email!,
        account.PhoneNumber,
        account.MailingAddress is { } address
            ? new MailingAddressDto(address.Line1, address.Line2, address.City, address.Region, address.PostalCode, address.Country)
            : null,
        account.Company,
        account.JobRole,
        account.TeamSize,
        account.BusinessType,
        account.PreferredLanguage,
        [.. await accounts.GetRolesAsync(account)],
        account.CreatedAt,
        account.PendingEmail);
}

/// <summary>The profile fields other services may hold copies of, flattened to the names rectification events use.</summary>
internal static class RectifiableFields
{
    public static Dictionary<string, string?> Of(Account account) => new(StringComparer.Ordinal)
    {
        ["name"] = account.Name,
        ["email"] = account.Email,
        ["phone"] = account.PhoneNumber,
        ["mailingAddress.line1"] = account.MailingAddress?.Line1,
        ["mailingAddress.line2"] = account.MailingAddress?.Line2,
        ["mailingAddress.city"] = account.MailingAddress?.City,
        ["mailingAddress.region"] = account.MailingAddress?.Region,
        ["mailingAddress.postalCode"] = account.MailingAddress?.PostalCode,
        ["mailingAddress.country"] = account.MailingAddress?.Country,
        ["company"] = account.Company,
        ["jobRole"] = account.JobRole,
        ["teamSize"] = account.TeamSize,
        ["businessType"] = account.BusinessType,
        ["preferredLanguage"] = account.PreferredLanguage,
    };

    public static Dictionary<string, string?> Changes(Dictionary<string, string?> before, Dictionary<string, string?> after) =>
        after.Where(field => !string.Equals(before[field.Key], field.Value, StringComparison.Ordinal))
            .ToDictionary(field => field.Key, field => field.Value, StringComparer.Ordinal);
}
