using Certometer.Identity.Profile;
using Certometer.Identity.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

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

/// <summary>What every sign-up is told, whether or not the address already had an account.</summary>
/// <param name="Email">The address the link went to.</param>
/// <param name="Message">What happens next, to show the person.</param>
public sealed record SignUpAccepted(string Email, string Message)
{
    internal const string Next =
        "Check this address for an email from Certometer and open its link within a day; the account signs in once the address is confirmed. If the address already has an account, the email says so instead.";
}

internal static class SignUpEndpoints
{
    public static IEndpointRouteBuilder MapSignUpEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous on purpose: signing up is how a visitor gets an account. Rate-limited per client address.
        app.MapPost("/api/accounts", Register)
            .AllowAnonymous()
            .WithTags("Accounts")
            .WithName("RegisterLearner")
            .WithSummary("Starts a learner account and sends the link that confirms its address; the same answer whether or not the address has an account.");
        return app;
    }

    private static async Task<Results<Accepted<SignUpAccepted>, ValidationProblem>> Register(
        RegisterLearnerRequest request,
        HttpContext http,
        SignUp signUp,
        IOptions<OidcOptions> oidc,
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

        var weakPassword = await signUp.RequestAsync(request, PublicLinks.BaseOf(oidc.Value, http.Request), cancellationToken);
        if (weakPassword.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [.. weakPassword] });
        }

        return TypedResults.Accepted((string?)null, new SignUpAccepted(request.Email!.Trim(), SignUpAccepted.Next));
    }
}
