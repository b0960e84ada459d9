using System.Security.Claims;
using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

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
    DateTimeOffset CreatedAt);

/// <summary>
/// The whole profile as it should be from now on (rectification): name and email are required, an optional field
/// left out or null is cleared. Every service holding a copy of a changed field is told.
/// </summary>
public sealed record UpdateProfileRequest(
    string? Name,
    string? Email,
    string? Phone = null,
    MailingAddressDto? MailingAddress = null,
    string? Company = null,
    string? JobRole = null,
    string? TeamSize = null,
    string? BusinessType = null,
    string? PreferredLanguage = null) : IProfileFields;

internal static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfileEndpoints(this IEndpointRouteBuilder app)
    {
        // The subject comes from the token, never from the URL: there is no way to name another person's profile.
        var me = app.MapGroup("/api/me").WithTags("Profile").RequireAuthorization(PlatformPolicies.SignedIn);
        me.MapGet("/", GetProfile).WithName("GetMyProfile").WithSummary("The signed-in person's profile.");
        me.MapPut("/", UpdateProfile).WithName("UpdateMyProfile")
            .WithSummary("Corrects the signed-in person's profile and tells every service that holds a copy.");
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
        UserManager<Account> accounts,
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

        var before = RectifiableFields.Of(account);
        account.Name = request.Name!.Trim();
        ProfileRules.ApplyOptionalFields(account, request);

        var email = request.Email!.Trim();
        if (!string.Equals(email, account.Email, StringComparison.Ordinal))
        {
            var owner = await accounts.FindByEmailAsync(email);
            if (owner is not null && owner.Id != account.Id)
            {
                return TypedResults.Problem(title: "Another account already uses this email.", statusCode: StatusCodes.Status409Conflict);
            }

            account.Email = email;
            account.UserName = email;
            account.NormalizedEmail = accounts.NormalizeEmail(email);
            account.NormalizedUserName = accounts.NormalizeName(email);
        }

        var changed = RectifiableFields.Changes(before, RectifiableFields.Of(account));
        if (changed.Count > 0)
        {
            // The profile and the rectification event commit in one SaveChanges, so no holder misses a correction.
            db.AddIntegrationEvent(new SubjectDataRectified(account.Id, changed, clock.GetUtcNow()), clock);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            return TypedResults.Problem(title: "Another account already uses this email.", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(await ToResponseAsync(account, accounts));
    }

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
        account.CreatedAt);
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
