using System.Net;
using AngleSharp.Html.Parser;
using Certometer.TestInfrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Identity.Tests;

public sealed class SignInTests(IdentityService identity)
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_the_right_one_is_refused_and_every_attempt_is_recorded()
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
}
