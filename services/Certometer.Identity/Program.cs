using Certometer.Auth;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.Identity.Accounts;
using Certometer.Identity.Data;
using Certometer.Identity.PersonalData;
using Certometer.Identity.Profile;
using Certometer.Identity.SignIn;
using Certometer.Identity.Tokens;
using Certometer.Messaging;
using Certometer.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddServiceDatabase<IdentityDbContext>("identitydb");
builder.AddAccounts();
builder.AddOidcServer();
builder.AddAbuseLimits();
builder.AddPlatformAuthentication(PlatformApi.Account, validation => validation.UseLocalServer());
builder.Services.AddRazorPages(pages => pages.RootDirectory = "/SignIn");

builder.AddPersonalDataHolder<IdentityDbContext, IdentitySubjectData>(IdentityPersonalData.Inventory);
builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<Retention>();
builder.AddMessaging<IdentityDbContext>(IdentityPersonalData.Inventory.Service, bus =>
{
    bus.AddPersonalDataHolderConsumers<IdentityDbContext>();
    bus.AddConsumer<AccountLockRequestedConsumer>();
    bus.AddConsumer<PrivacyRequestVerificationRequestedConsumer>();
});
// The one-time code passes through on its way to Notifications; once the broker has it, the outbox keeps no copy.
builder.ForgetPayloadOnceSent<PrivacyRequestVerificationCodeAddressed>();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseRateLimiter();
app.UsePlatformAuthentication();

app.MapConnectEndpoints();
app.MapSignUpEndpoints();
app.MapProfileEndpoints();
// Anonymous on purpose: the sign-in and sign-out pages are where people without a session go.
app.MapRazorPages().AllowAnonymous();

app.Run();

/// <summary>Entry point; public so integration tests can host the real service.</summary>
public partial class Program;
