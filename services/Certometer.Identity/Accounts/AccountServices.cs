using System.Security.Claims;
using Certometer.Auth;
using Certometer.Identity.Data;
using Certometer.Identity.Profile;
using Certometer.Identity.SignIn;
using Microsoft.AspNetCore.Identity;

namespace Certometer.Identity.Accounts;

/// <summary>ASP.NET Core Identity for Certometer accounts: password policy, lockout, unique email, the sign-in cookie.</summary>
internal static class AccountServices
{
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentity<Account, IdentityRole<Guid>>(options =>
            {
                // Length over composition rules (NIST SP 800-63B): a long passphrase beats a short "P@ssw0rd!".
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;

                // Failed passwords lock one client address out of one account (SignIn/Login.cshtml.cs), never the whole
                // account: that would let anyone lock a compliance officer out at will. LockoutEnd still locks an erased account.
                options.Lockout.AllowedForNewUsers = true;

                options.User.RequireUniqueEmail = true;
                // A new account signs in only once its address is proven (Accounts/SignUp.cs).
                options.SignIn.RequireConfirmedEmail = true;
                options.User.AllowedUserNameCharacters = null!;

                // OpenIddict's claim names, so the cookie principal and the tokens agree.
                options.ClaimsIdentity.UserIdClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject;
                options.ClaimsIdentity.UserNameClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Name;
                options.ClaimsIdentity.RoleClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Role;
                options.ClaimsIdentity.EmailClaimType = OpenIddict.Abstractions.OpenIddictConstants.Claims.Email;
            })
            .AddEntityFrameworkStores<IdentityDbContext>()
            .AddDefaultTokenProviders();

        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.Cookie.Name = "certometer.signin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Secure always outside Development: behind a proxy that terminates TLS every request looks like plain HTTP, and
            // "same as request" would send the session in clear. Development runs on http://localhost.
            cookie.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });
        // A locked or erased account's cookie stops working within a minute, not the default half hour.
        builder.Services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            // The check rebuilds the session from the account, which knows nothing of how the person signed in: keep
            // every method (password, code), or a staff session would lose its second factor after a minute.
            options.OnRefreshingPrincipal = refreshing =>
            {
                var methods = refreshing.CurrentPrincipal?.FindAll(StaffSecondFactor.MethodsClaim) ?? [];
                if (refreshing.NewPrincipal?.Identity is ClaimsIdentity identity)
                {
                    foreach (var method in methods.Where(method => !identity.HasClaim(method.Type, method.Value)))
                    {
                        identity.AddClaim(new Claim(method.Type, method.Value));
                    }
                }

                return Task.CompletedTask;
            };
        });

        builder.Services.AddScoped<ISubjectAdmission, LockedAccountAdmission>();
        builder.Services.AddScoped<PasswordAttempts>();
        builder.Services.AddScoped<SecondFactor>();
        var staffNeedSecondFactor = StaffSecondFactor.IsRequired(builder.Configuration, builder.Environment);
        builder.Services.Configure<SecondFactorOptions>(options => options.RequiredForStaff = staffNeedSecondFactor);
        builder.Services.AddScoped<EmailChange>();
        builder.Services.AddScoped<SignUp>();
        builder.Services.AddScoped<AddressConfirmation>();

        builder.Services.AddOptions<StaffAccountsOptions>().Bind(builder.Configuration.GetSection(StaffAccountsOptions.SectionName));
        builder.Services.AddHostedService<StaffAccountsSeeding>();
        return builder;
    }
}
