using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
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
    public async Task An_access_token_issued_before_the_lock_is_refused_by_every_account_API_and_the_profile_stays_as_it_was()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await identity.RegisterAsync();
        var (_, tokens, browser) = await identity.SignInAsync(learner);
        browser.Dispose();
        using var http = identity.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        (await http.GetAsync("/api/me", cancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK, "the token works before the lock");
        var requestId = Guid.NewGuid();

        await identity.Factory.Services.GetRequiredService<IBus>()
            .Publish(new AccountLockRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow), cancellationToken);
        await identity.WaitForEventAsync<AccountLocked>(e => e.RequestId == requestId);

        using var read = await http.GetAsync("/api/me", cancellationToken);
        using var change = await http.PutAsJsonAsync(
            "/api/me",
            new { name = "Changed While Locked", email = learner.Email, mailingAddress = (object?)null },
            cancellationToken);
        foreach (var (what, response) in new[] { ("reading the profile", read), ("changing the profile", change) })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, what);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", what);
            response.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token", customMessage: what);
        }

        (await identity.QueryAsync(db => db.Users.Where(a => a.Id == learner.SubjectId).Select(a => a.Name).SingleAsync(cancellationToken)))
            .ShouldBe(learner.Name);
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
