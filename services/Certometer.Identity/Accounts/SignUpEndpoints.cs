using Certometer.Auth;
using Certometer.Contracts.Identity;
using Certometer.Identity.Data;
using Certometer.Identity.Profile;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
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
    string? PreferredLanguage = null) : IProfileFields;

/// <summary>The new account's id; sign in through the authorization endpoint to get tokens.</summary>
public sealed record LearnerRegistration(Guid SubjectId);

internal static class SignUpEndpoints
{
    public const string RegistrationSource = "registration";

    public static IEndpointRouteBuilder MapSignUpEndpoints(this IEndpointRouteBuilder app)
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
        var errors = ProfileRules.Validate(request);
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
        ProfileRules.ApplyOptionalFields(account, request);

        // The account, its role and the two events commit together or not at all.
        var refused = await db.InTransactionAsync<IdentityResult?>(
            async ct =>
            {
                if (await CreateAsync(accounts, account, request.Password!) is { } refusal)
                {
                    return refusal;
                }

                db.AddIntegrationEvent(new LearnerRegistered(account.Id, account.Name, account.Email!, account.PreferredLanguage, now), clock);
                db.AddIntegrationEvent(
                    new ConsentChoicesRecorded(account.Id, request.MarketingConsent!.Value, request.AnalyticsConsent!.Value, RegistrationSource, now),
                    clock);
                await db.SaveAndCommitAsync(ct);
                return null;
            },
            cancellationToken);

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
        catch (DbUpdateException exception) when (exception.IsUniqueViolation())
        {
            // Two sign-ups with the same address at the same moment: the unique index decides, the loser is told.
            // Any other database failure is not a taken address and must not be reported as one.
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
