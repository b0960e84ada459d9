using Certometer.Auth;
using Certometer.Identity.Accounts;
using Certometer.Identity.Profile;

namespace Certometer.Identity.SignIn;

/// <summary>Per-address request limits for the endpoints people try to abuse (section <c>Identity:AbuseLimits</c>).</summary>
public sealed class AbuseLimitsOptions
{
    public const string SectionName = "Identity:AbuseLimits";

    /// <summary>Password and authenticator-code attempts on the sign-in pages (also bounded per account by lockout).</summary>
    public WindowLimit SignIn { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Requests to the token endpoint: code exchanges, refreshes, client credentials.</summary>
    public WindowLimit Token { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>New accounts.</summary>
    public WindowLimit Registration { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(10) };

    /// <summary>Uses of sign-up and address-change links: confirmations through the API or the page, and cancellations.</summary>
    public WindowLimit EmailConfirmation { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(10) };
}

internal static class AbuseLimits
{
    public static IHostApplicationBuilder AddAbuseLimits(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AbuseLimitsOptions.SectionName);
        builder.Services.AddOptions<AbuseLimitsOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var limits = section.Get<AbuseLimitsOptions>() ?? new AbuseLimitsOptions();

        builder.Services.AddAbuseLimiter(request => LimitFor(request, limits, out var name) is { } limit ? (name, limit) : null);
        return builder;
    }

    private static WindowLimit? LimitFor(HttpRequest request, AbuseLimitsOptions limits, out string name)
    {
        name = request.Path.Value ?? "";
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        if (request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(SecondFactor.CodePath, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(SecondFactor.EnrolmentPath, StringComparison.OrdinalIgnoreCase))
        {
            return limits.SignIn;
        }

        if (request.Path.Equals("/connect/token", StringComparison.OrdinalIgnoreCase))
        {
            return limits.Token;
        }

        if (request.Path.Equals("/api/accounts/email-confirmations", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(AddressConfirmation.Path, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(EmailChange.CancellationPath, StringComparison.OrdinalIgnoreCase))
        {
            return limits.EmailConfirmation;
        }

        return request.Path.Equals("/api/accounts", StringComparison.OrdinalIgnoreCase) ? limits.Registration : null;
    }
}
