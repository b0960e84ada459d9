using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Web;
using Certometer.TestInfrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Certometer.EndToEnd.Tests;

public sealed class SignInTests(StackFixture stack)
{
    private const string Scopes = "openid offline_access account catalog";

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Learner_signs_in_with_code_and_PKCE_calls_an_API_refreshes_and_a_replayed_refresh_token_is_refused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        using var browser = SignInFlow.CreateBrowser(stack.App.IdentityUri());
        var flow = new SignInFlow(browser);

        var tokens = await flow.SignInAsync(learner.Email, learner.Password, Scopes, cancellationToken);
        (await ProfileEmailAsync(tokens.AccessToken!)).ShouldBe(learner.Email);

        var refreshed = await flow.RefreshAsync(tokens.RefreshToken!, cancellationToken);
        refreshed.AccessToken.ShouldNotBeNull(refreshed.ErrorDescription);
        refreshed.RefreshToken.ShouldNotBeNull();
        refreshed.RefreshToken.ShouldNotBe(tokens.RefreshToken, "refresh tokens rotate on every use");
        (await ProfileEmailAsync(refreshed.AccessToken)).ShouldBe(learner.Email);

        var replayed = await flow.RefreshAsync(tokens.RefreshToken!, cancellationToken);
        replayed.AccessToken.ShouldBeNull();
        replayed.Error.ShouldBe("invalid_grant");

        // A replay means the token leaked: the whole chain is revoked, so whoever holds the rotated token is out too.
        var afterReplay = await flow.RefreshAsync(refreshed.RefreshToken, cancellationToken);
        afterReplay.Error.ShouldBe("invalid_grant");
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Access_tokens_carry_the_subject_and_roles_for_each_requested_API_but_never_the_name_or_email()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var tokens = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken, scope: Scopes);

        var access = new JsonWebToken(tokens.AccessToken);
        access.Typ.ShouldBe("at+jwt");
        access.Subject.ShouldBe(learner.SubjectId.ToString());
        access.Audiences.ShouldBe(["certometer-identity", "certometer-catalog"], ignoreOrder: true);
        access.GetPayloadValue<string>("role").ShouldBe("learner");
        tokens.AccessToken!.ShouldNotContain(learner.Email);
        access.TryGetPayloadValue<string>("email", out _).ShouldBeFalse();
        access.TryGetPayloadValue<string>("name", out _).ShouldBeFalse();
        (access.ValidTo - access.IssuedAt).ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Authorization_requests_without_PKCE_or_with_plain_PKCE_never_reach_the_sign_in_page()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = SignInFlow.CreateBrowser(stack.App.IdentityUri());
        var flow = new SignInFlow(browser);
        var pkce = Pkce.Create();

        foreach (var (challenge, method) in new (string?, string?)[] { (null, null), (pkce.Verifier, "plain"), (pkce.Challenge, null) })
        {
            using var response = await browser.GetAsync(flow.AuthorizeUri("openid account", "state", challenge, method), cancellationToken);
            var location = response.Headers.Location?.ToString() ?? "";
            location.ShouldNotContain("/account/login", customMessage: $"challenge method '{method}' was let through to sign-in");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                HttpUtility.ParseQueryString(new Uri(location).Query)["error"].ShouldBe("invalid_request");
            }
            else
            {
                response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            }
        }
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task The_password_grant_and_the_implicit_flow_are_not_offered()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        using var browser = SignInFlow.CreateBrowser(stack.App.IdentityUri());
        var flow = new SignInFlow(browser);

        var password = await flow.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = SignInFlow.WebClientId,
            ["username"] = learner.Email,
            ["password"] = learner.Password,
        }, cancellationToken);
        password.AccessToken.ShouldBeNull();
        password.Error.ShouldBe("unsupported_grant_type");

        var implicitFlow = flow.AuthorizeUri("openid account", "state", Pkce.Create().Challenge, "S256").Replace("response_type=code", "response_type=token", StringComparison.Ordinal);
        using var response = await browser.GetAsync(implicitFlow, cancellationToken);
        (response.Headers.Location?.ToString() ?? "").ShouldNotContain("/account/login");
        (response.StatusCode == HttpStatusCode.BadRequest || (response.Headers.Location?.ToString() ?? "").Contains("error=unsupported_response_type", StringComparison.Ordinal))
            .ShouldBeTrue($"implicit flow answered {(int)response.StatusCode} {response.Headers.Location}");
    }

    private async Task<string?> ProfileEmailAsync(string accessToken)
    {
        using var http = new HttpClient { BaseAddress = stack.App.IdentityUri() };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var profile = await http.GetFromJsonAsync<Profile>("/api/me", TestContext.Current.CancellationToken);
        return profile?.Email;
    }

    private sealed record Profile(Guid SubjectId, string Email);
}
