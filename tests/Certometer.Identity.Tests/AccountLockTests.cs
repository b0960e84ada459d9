using System.Net;
using Certometer.Contracts.Identity;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Identity.Tests;

public sealed class AccountLockTests(IdentityService identity)
{
    [Fact]
    public async Task Locking_for_erasure_revokes_every_token_refuses_sign_in_and_answers_exactly_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await identity.RegisterAsync();
        var (flow, tokens, browser) = await identity.SignInAsync(learner);
        using var _ = browser;
        var requestId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var bus = identity.Factory.Services.GetRequiredService<IBus>();

        // Delivered twice with the same message id, as a broker may after a lost acknowledgement.
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await bus.Publish(new AccountLockRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow),
                context => context.MessageId = messageId, cancellationToken);
        }

        var locked = await identity.WaitForEventAsync<AccountLocked>(e => e.RequestId == requestId);
        locked.AccountFound.ShouldBeTrue();
        locked.TokensRevoked.ShouldBeGreaterThan(0);

        var refresh = await flow.RefreshAsync(tokens.RefreshToken!, cancellationToken);
        refresh.Error.ShouldBe("invalid_grant");

        using var signIn = await flow.PostSignInFormAsync(new Uri(browser.BaseAddress!, "/account/login"), learner.Email, learner.Password, cancellationToken);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK, "a locked account is shown the form again, not let in");

        // The browser still holds its sign-in cookie from before the lock; authorize must not honour it.
        using var authorize = await browser.GetAsync(flow.AuthorizeUri(Learners.Scopes, "s", Pkce.Create().Challenge, "S256"), cancellationToken);
        authorize.Headers.Location!.ToString().ShouldContain("/account/login");

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        (await identity.EventsAsync<AccountLocked>()).Count(e => e.RequestId == requestId).ShouldBe(1);
        var active = await identity.QueryAsync(db => db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken<Guid>>()
            .CountAsync(t => t.Subject == learner.SubjectId.ToString() && t.Status != "revoked", cancellationToken));
        active.ShouldBe(0);
    }

    [Fact]
    public async Task Locking_an_unknown_subject_answers_that_no_account_was_found()
    {
        var requestId = Guid.NewGuid();
        await identity.Factory.Services.GetRequiredService<IBus>()
            .Publish(new AccountLockRequested(requestId, Guid.NewGuid(), DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);

        var locked = await identity.WaitForEventAsync<AccountLocked>(e => e.RequestId == requestId);
        locked.AccountFound.ShouldBeFalse();
        locked.TokensRevoked.ShouldBe(0);
    }
}
