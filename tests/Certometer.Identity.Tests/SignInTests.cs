using System.Net;
using AngleSharp.Html.Parser;
using Certometer.Identity.Accounts;
using Certometer.Identity.SignIn;
using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Identity.Tests;

public sealed class SignInTests(IdentityService identity)
{
    [Fact]
    public async Task Five_wrong_passwords_from_one_address_lock_it_out_of_the_account_so_the_right_one_is_refused_there_and_every_attempt_is_recorded()
    {
        var learner = await identity.RegisterAsync();
        using var browser = identity.Browser();
        var flow = new SignInFlow(browser);
        var login = new Uri(browser.BaseAddress!, "/account/login");

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await flow.PostSignInFormAsync(login, learner.Email, "not-the-passphrase", TestContext.Current.CancellationToken);
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK, "a refused sign-in shows the form again");
        }

        using var right = await flow.PostSignInFormAsync(login, learner.Email, learner.Password, TestContext.Current.CancellationToken);
        right.StatusCode.ShouldBe(HttpStatusCode.OK, "the locked account must not sign in with the right password");
        (await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("locked for 15 minutes");

        var attempts = await identity.QueryAsync(db => db.SignIns.Where(s => s.AccountId == learner.SubjectId)
            .Select(s => s.Succeeded).ToListAsync(TestContext.Current.CancellationToken));
        attempts.Count.ShouldBe(6);
        attempts.ShouldAllBe(succeeded => !succeeded);
    }

    [Fact]
    public async Task The_sign_in_page_never_redirects_off_site_after_signing_in()
    {
        var learner = await identity.RegisterAsync();
        using var browser = identity.Browser();
        var flow = new SignInFlow(browser);

        using var response = await flow.PostSignInFormAsync(
            new Uri(browser.BaseAddress!, "/account/login?ReturnUrl=https%3A%2F%2Fattacker.example%2F"), learner.Email, learner.Password,
            TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/account/signed-in");
    }

    [Fact]
    public async Task Only_the_confirmation_form_signs_out_so_a_link_or_a_post_from_another_site_leaves_the_session()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await identity.RegisterAsync();
        var (flow, _, browser) = await identity.SignInAsync(learner);
        using var _ = browser;

        using var link = await browser.GetAsync("/connect/endsession?state=from-the-app", cancellationToken);
        link.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        link.Headers.Location!.ToString().ShouldBe("/account/logout?state=from-the-app", "a GET only asks");
        (await IsSignedInAsync(browser, flow)).ShouldBeTrue("following a link signs nobody out");

        using var foreign = await browser.PostAsync("/connect/endsession", new FormUrlEncodedContent([new("state", "forged")]), cancellationToken);
        foreign.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        foreign.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await IsSignedInAsync(browser, flow)).ShouldBeTrue("a post without the form's token signs nobody out");

        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync(link.Headers.Location, cancellationToken));
        var form = page.QuerySelector("form")!;
        form.GetAttribute("action").ShouldBe("/connect/endsession", "the app's request goes back to the end-session endpoint");
        var fields = form.QuerySelectorAll("input[name]").ToDictionary(input => input.GetAttribute("name")!, input => input.GetAttribute("value") ?? "");
        fields["state"].ShouldBe("from-the-app");
        using var confirmed = await browser.PostAsync("/connect/endsession", new FormUrlEncodedContent(fields), cancellationToken);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect, await confirmed.Content.ReadAsStringAsync(cancellationToken));
        (await IsSignedInAsync(browser, flow)).ShouldBeFalse("the confirmed form signs out");
    }

    /// <summary>Whether the browser's session still lets the authorization endpoint answer without the sign-in form.</summary>
    private static async Task<bool> IsSignedInAsync(HttpClient browser, SignInFlow flow)
    {
        using var authorize = await browser.GetAsync(
            flow.AuthorizeUri("openid", "probe", Pkce.Create().Challenge, "S256"), TestContext.Current.CancellationToken);
        authorize.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return !authorize.Headers.Location!.ToString().Contains("/account/login", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guesses_from_one_address_do_not_lock_the_owner_out_when_they_sign_in_from_another()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await identity.StartAsync(web => web
            .UseSetting("Identity:AbuseLimits:SignIn:PermitLimit", "10000")
            .ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromTestHeader>()));
        var officer = await identity.RegisterAsync(host);
        using var attacker = identity.Browser(host);
        attacker.DefaultRequestHeaders.Add(ClientAddressFromTestHeader.Header, "203.0.113.7");
        var login = new Uri(attacker.BaseAddress!, "/account/login");
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var guess = await new SignInFlow(attacker).PostSignInFormAsync(login, officer.Email, "a-guessed-passphrase", cancellationToken);
            guess.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var lockedOut = await new SignInFlow(attacker).PostSignInFormAsync(login, officer.Email, officer.Password, cancellationToken);
        lockedOut.StatusCode.ShouldBe(HttpStatusCode.OK, "the guessing address is locked out of the account, right password or not");

        using var owner = identity.Browser(host);
        owner.DefaultRequestHeaders.Add(ClientAddressFromTestHeader.Header, "198.51.100.20");
        using var signedIn = await new SignInFlow(owner).PostSignInFormAsync(login, officer.Email, officer.Password, cancellationToken);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the owner, elsewhere, signs in");
        signedIn.Headers.Location!.ToString().ShouldBe("/account/signed-in");
    }

    [Fact]
    public async Task An_address_without_an_account_costs_a_password_hash_like_a_wrong_password()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var hashes = new CountingPasswordHasher();
        await using var host = await identity.StartAsync(web => web
            .ConfigureServices(services => services.AddSingleton<IPasswordHasher<Account>>(hashes)));
        var learner = await identity.RegisterAsync(host);
        using var browser = identity.Browser(host);
        var flow = new SignInFlow(browser);
        var login = new Uri(browser.BaseAddress!, "/account/login");
        var before = hashes.Verifications;

        using var wrongPassword = await flow.PostSignInFormAsync(login, learner.Email, "a-wrong-passphrase", cancellationToken);
        hashes.Verifications.ShouldBe(before + 1, "a wrong password is checked against the account's hash");
        using var unknownAddress = await flow.PostSignInFormAsync(login, $"nobody.{Guid.NewGuid():N}@example.test", "a-wrong-passphrase", cancellationToken);
        hashes.Verifications.ShouldBe(before + 2, "an address without an account is checked against a decoy hash all the same");

        (await wrongPassword.Content.ReadAsStringAsync(cancellationToken)).ShouldContain(WebUtility.HtmlEncode(LoginModel.Refused));
        (await unknownAddress.Content.ReadAsStringAsync(cancellationToken)).ShouldContain(WebUtility.HtmlEncode(LoginModel.Refused));
    }

    /// <summary>Identity's own hasher, counting the passwords it checks.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<Account>
    {
        private readonly PasswordHasher<Account> _hasher = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(Account user, string password) => _hasher.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Account user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    /// <summary>Plays the network in tests: the client address is what the test says it is.</summary>
    private sealed class ClientAddressFromTestHeader : IStartupFilter
    {
        public const string Header = "X-Test-Client-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var address))
                {
                    context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
