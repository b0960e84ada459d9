using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.Identity.Accounts;
using Certometer.Identity.PersonalData;
using Certometer.Identity.Profile;
using Certometer.Identity.SignIn;
using Certometer.Identity.Tokens;
using Certometer.Messaging;
using MassTransit;

namespace Certometer.Identity;

/// <summary>Identity's own services (accounts, the OIDC server, abuse limits, sign-in pages, retention), the events it consumes and its endpoints.</summary>
internal static class IdentityRegistration
{
    public static IHostApplicationBuilder AddIdentityService(this IHostApplicationBuilder builder)
    {
        builder.AddAccounts();
        builder.AddOidcServer();
        builder.AddAbuseLimits();
        builder.Services.AddRazorPages(pages => pages.RootDirectory = "/SignIn");
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<Retention>();
        // The one-time code passes through on its way to Notifications; once the broker has it, the outbox keeps no copy.
        builder.ForgetPayloadOnceSent<PrivacyRequestVerificationCodeAddressed>();
        // So does the address-change link, which would make the change for whoever read it.
        builder.ForgetPayloadOnceSent<EmailChangeRequested>();
        // And the sign-up link, which would start the account for whoever read it; the notice to an existing account
        // names its address, which is no business of the outbox once sent.
        builder.ForgetPayloadOnceSent<SignUpConfirmationRequested>();
        builder.ForgetPayloadOnceSent<SignUpAttemptedForExistingAccount>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddIdentityConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<AccountLockRequestedConsumer>();
        bus.AddConsumer<PrivacyRequestVerificationRequestedConsumer>();
        return bus;
    }

    public static WebApplication MapIdentityEndpoints(this WebApplication app)
    {
        app.MapConnectEndpoints();
        app.MapSignUpEndpoints();
        app.MapProfileEndpoints();
        // Anonymous on purpose: the sign-in and sign-out pages are where people without a session go.
        app.MapRazorPages().AllowAnonymous();
        return app;
    }
}
