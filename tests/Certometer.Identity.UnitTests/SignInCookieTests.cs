using Certometer.Identity.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Certometer.Identity.UnitTests;

/// <summary>The sign-in cookie's security settings as each environment configures them.</summary>
public sealed class SignInCookieTests
{
    private static CookieAuthenticationOptions SignInCookie(string environment)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.AddAccounts();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Test")]
    public void Outside_Development_the_sign_in_cookie_is_sent_over_https_only_whatever_the_request_looked_like(string environment)
    {
        var cookie = SignInCookie(environment).Cookie;

        cookie.SecurePolicy.ShouldBe(CookieSecurePolicy.Always);
        cookie.HttpOnly.ShouldBeTrue();
        cookie.SameSite.ShouldBe(SameSiteMode.Lax);
    }

    [Fact]
    public void In_Development_the_sign_in_cookie_also_works_on_plain_http_localhost()
    {
        SignInCookie(Environments.Development).Cookie.SecurePolicy.ShouldBe(CookieSecurePolicy.SameAsRequest);
    }
}
