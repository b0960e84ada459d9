using System.Net;
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
}
