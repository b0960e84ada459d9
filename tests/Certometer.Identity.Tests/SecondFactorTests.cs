using System.Net;
using System.Web;
using AngleSharp.Html.Parser;
using Certometer.Identity.Accounts;
using Certometer.Identity.SignIn;
using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OtpNet;

namespace Certometer.Identity.Tests;

/// <summary>Staff sign-in with an authenticator code, as it runs outside Development.</summary>
public sealed class SecondFactorTests(IdentityService identity) : IAsyncLifetime
{
    private const string Scope = "openid privacy";

    private WebApplicationFactory<Program>? _host;

    private WebApplicationFactory<Program> Host => _host ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() =>
        _host = await identity.StartAsync(host => host
            .UseSetting(Auth.StaffSecondFactor.SettingName, "true")
            .UseSetting("Identity:AbuseLimits:SignIn:PermitLimit", "10000")
            .UseSetting("Identity:AbuseLimits:Token:PermitLimit", "10000"));

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_staff_member_without_an_authenticator_enrols_after_the_password_gets_ten_recovery_codes_and_a_token_that_says_two_factors()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var officer = await NewOfficerAsync();
        using var browser = identity.Browser(Host);
        var flow = new SignInFlow(browser);
        var pkce = Pkce.Create();

        var (enrolment, returnUrl) = await PasswordStepAsync(browser, flow, officer, pkce);
        enrolment.AbsolutePath.ShouldBe(SecondFactor.EnrolmentPath);
        using (var before = await browser.GetAsync(returnUrl, cancellationToken))
        {
            Location(before).AbsolutePath.ShouldBe("/account/login", "the password alone is no session");
        }

        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync(enrolment, cancellationToken));
        var key = page.QuerySelector("#authenticator-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        page.QuerySelector("#authenticator-uri")!.GetAttribute("href")!.ShouldStartWith("otpauth://totp/");
        using var enrolled = await BrowserForm.SubmitAsync(browser, enrolment, new Dictionary<string, string> { ["Code"] = CodeFor(key) }, cancellationToken);
        enrolled.StatusCode.ShouldBe(HttpStatusCode.OK);
        var codes = new HtmlParser().ParseDocument(await enrolled.Content.ReadAsStringAsync(cancellationToken));
        codes.QuerySelectorAll("#recovery-codes li").Length.ShouldBe(SecondFactor.RecoveryCodeCount);

        var tokens = await FinishAsync(browser, flow, new Uri(browser.BaseAddress!, codes.QuerySelector("#continue")!.GetAttribute("href")!), pkce);
        Methods(tokens.AccessToken!).ShouldBe(["pwd", "otp", "mfa"], ignoreOrder: true);
        Methods(tokens.IdToken!).ShouldContain("mfa");
        (await WithAccountAsync(officer.Email, (accounts, account) => Task.FromResult(account.TwoFactorEnabled))).ShouldBeTrue();
    }

    [Fact]
    public async Task An_enrolled_staff_member_needs_a_fresh_code_or_an_unused_recovery_code_after_the_password()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var officer = await NewOfficerAsync();
        var (key, recoveryCodes) = await EnrolAsync(officer);

        using var browser = identity.Browser(Host);
        var flow = new SignInFlow(browser);
        var pkce = Pkce.Create();
        var (codePage, _) = await PasswordStepAsync(browser, flow, officer, pkce);
        codePage.AbsolutePath.ShouldBe(SecondFactor.CodePath);

        (await SubmitCodeAsync(browser, codePage, "000000")).ShouldContain(SecondFactorModel.Refused);
        var code = CodeFor(key, enrolled: true);
        using (var accepted = await BrowserForm.SubmitAsync(browser, codePage, new Dictionary<string, string> { ["Code"] = code }, cancellationToken))
        {
            var tokens = await FinishAsync(browser, flow, Location(accepted), pkce);
            Methods(tokens.AccessToken!).ShouldContain("mfa");
        }

        // The same code a second time, in another browser that also knows the password: a replay.
        using var second = identity.Browser(Host);
        var secondFlow = new SignInFlow(second);
        var secondPkce = Pkce.Create();
        var (secondPage, _) = await PasswordStepAsync(second, secondFlow, officer, secondPkce);
        (await SubmitCodeAsync(second, secondPage, code)).ShouldContain(SecondFactorModel.Refused);

        // A recovery code, typed in lower case without its hyphen, works once.
        var recovery = recoveryCodes[0].Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        using (var recovered = await BrowserForm.SubmitAsync(second, secondPage, new Dictionary<string, string> { ["Code"] = recovery }, cancellationToken))
        {
            Methods((await FinishAsync(second, secondFlow, Location(recovered), secondPkce)).AccessToken!).ShouldContain("mfa");
        }

        using var third = identity.Browser(Host);
        var (thirdPage, _) = await PasswordStepAsync(third, new SignInFlow(third), officer, Pkce.Create());
        (await SubmitCodeAsync(third, thirdPage, recovery)).ShouldContain(SecondFactorModel.Refused);
    }

    [Fact]
    public async Task An_address_locked_out_by_wrong_passwords_gets_through_with_the_right_password_and_code_together_and_learns_nothing_from_either_alone()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var officer = await NewOfficerAsync();
        var (key, _) = await EnrolAsync(officer);
        using var browser = identity.Browser(Host);
        var flow = new SignInFlow(browser);
        var login = new Uri(browser.BaseAddress!, "/account/login");
        for (var attempt = 0; attempt < PasswordAttempts.FailuresBeforeLockout; attempt++)
        {
            using var wrong = await flow.PostSignInFormAsync(login, officer.Email, "not-the-passphrase", cancellationToken);
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Locked out: a wrong password and the right one now lead to the same page, and a right code cannot tell them apart.
        using var wrongAgain = await flow.PostSignInFormAsync(login, officer.Email, "not-the-passphrase", cancellationToken);
        var codePage = Location(wrongAgain);
        codePage.AbsolutePath.ShouldBe(SecondFactor.CodePath);
        (await SubmitCodeAsync(browser, codePage, CodeFor(key, enrolled: true))).ShouldContain(SecondFactorModel.Refused);

        var pkce = Pkce.Create();
        var (rightPage, _) = await PasswordStepAsync(browser, flow, officer, pkce);
        rightPage.AbsolutePath.ShouldBe(codePage.AbsolutePath);
        using var accepted = await BrowserForm.SubmitAsync(
            browser, rightPage, new Dictionary<string, string> { ["Code"] = CodeFor(key, enrolled: true) }, cancellationToken);
        Methods((await FinishAsync(browser, flow, Location(accepted), pkce)).AccessToken!).ShouldContain("mfa");
    }

    [Fact]
    public async Task A_learner_still_signs_in_with_the_password_alone_and_the_token_says_so()
    {
        var learner = await identity.RegisterAsync(Host);
        using var browser = identity.Browser(Host);
        var tokens = await new SignInFlow(browser).SignInAsync(learner.Email, learner.Password, Learners.Scopes, TestContext.Current.CancellationToken);

        Methods(tokens.AccessToken!).ShouldBe(["pwd"]);
    }

    private sealed record Officer(string Email, string Password);

    private async Task<Officer> NewOfficerAsync()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var officer = new Officer($"officer.{marker}@example.test", $"officer-passphrase-{marker}");
        await using var scope = Host.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            Name = "Test Officer",
            Email = officer.Email,
            UserName = officer.Email,
            EmailConfirmed = true,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        (await accounts.CreateAsync(account, officer.Password)).Succeeded.ShouldBeTrue();
        (await accounts.AddToRoleAsync(account, Auth.PlatformRoles.ComplianceOfficer)).Succeeded.ShouldBeTrue();
        return officer;
    }

    /// <summary>Enrols through the pages, as the officer would, and returns the key and the recovery codes.</summary>
    private async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(Officer officer)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = identity.Browser(Host);
        var (enrolment, _) = await PasswordStepAsync(browser, new SignInFlow(browser), officer, Pkce.Create());
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync(enrolment, cancellationToken));
        var key = page.QuerySelector("#authenticator-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        using var enrolled = await BrowserForm.SubmitAsync(browser, enrolment, new Dictionary<string, string> { ["Code"] = CodeFor(key) }, cancellationToken);
        var codes = new HtmlParser().ParseDocument(await enrolled.Content.ReadAsStringAsync(cancellationToken))
            .QuerySelectorAll("#recovery-codes li").Select(item => item.TextContent.Trim()).ToList();
        codes.Count.ShouldBe(SecondFactor.RecoveryCodeCount);
        return (key, codes);
    }

    /// <summary>Starts an authorization request and posts the right password; returns where the sign-in form sent the browser.</summary>
    private static async Task<(Uri Next, Uri ReturnUrl)> PasswordStepAsync(HttpClient browser, SignInFlow flow, Officer officer, Pkce pkce)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var authorize = await browser.GetAsync(flow.AuthorizeUri(Scope, "state-1", pkce.Challenge, "S256"), cancellationToken);
        var login = Location(authorize);
        using var signedIn = await flow.PostSignInFormAsync(login, officer.Email, officer.Password, cancellationToken);
        var next = Location(signedIn);
        return (next, new Uri(browser.BaseAddress!, HttpUtility.ParseQueryString(next.Query)["ReturnUrl"]!));
    }

    private static async Task<string> SubmitCodeAsync(HttpClient browser, Uri codePage, string code)
    {
        using var response = await BrowserForm.SubmitAsync(browser, codePage, new Dictionary<string, string> { ["Code"] = code }, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, "a refused code shows the page again");
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Follows the way back to the authorization endpoint and redeems the code it gives.</summary>
    private static async Task<TokenResponse> FinishAsync(HttpClient browser, SignInFlow flow, Uri back, Pkce pkce)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var authorized = await browser.GetAsync(back, cancellationToken);
        var callback = Location(authorized);
        callback.AbsoluteUri.ShouldStartWith(SignInFlow.WebRedirectUri);
        var code = HttpUtility.ParseQueryString(callback.Query)["code"].ShouldNotBeNull();
        var tokens = await flow.RedeemAsync(code, pkce.Verifier, cancellationToken, "urn:certometer:privacy");
        tokens.AccessToken.ShouldNotBeNull(tokens.ErrorDescription);
        return tokens;
    }

    private static Uri Location(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost"), location);
    }

    /// <summary>
    /// The code the app shows now; after enrolment, which used that one, the next 30-second step's, which Identity also
    /// accepts (it allows for clock drift) and which has not been used yet.
    /// </summary>
    private static string CodeFor(string key, bool enrolled = false) =>
        new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow.AddSeconds(enrolled ? 30 : 0));

    private static string[] Methods(string jwt) =>
        [.. new JsonWebToken(jwt).Claims.Where(claim => claim.Type == "amr").Select(claim => claim.Value)];

    private async Task<T> WithAccountAsync<T>(string email, Func<UserManager<Account>, Account, Task<T>> use)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        return await use(accounts, (await accounts.FindByEmailAsync(email))!);
    }
}
