using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Web;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Certometer.EndToEnd.Tests;

public sealed class SignInTests(StackFixture stack)
{
    private const string Scopes = "openid offline_access account catalog";

    private static readonly string AccountApi = StackFixture.Apis["identity"].Audience;

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Learner_signs_in_with_code_and_PKCE_calls_an_API_refreshes_and_a_replayed_refresh_token_is_refused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        using var browser = SignInFlow.CreateBrowser(stack.App.IdentityUri());
        var flow = new SignInFlow(browser);

        var tokens = await flow.SignInAsync(learner.Email, learner.Password, Scopes, cancellationToken, AccountApi);
        (await ProfileEmailAsync(tokens.AccessToken!)).ShouldBe(learner.Email);

        var refreshed = await flow.RefreshAsync(tokens.RefreshToken!, cancellationToken, AccountApi);
        refreshed.AccessToken.ShouldNotBeNull(refreshed.ErrorDescription);
        refreshed.RefreshToken.ShouldNotBeNull();
        refreshed.RefreshToken.ShouldNotBe(tokens.RefreshToken, "refresh tokens rotate on every use");
        (await ProfileEmailAsync(refreshed.AccessToken)).ShouldBe(learner.Email);

        var replayed = await flow.RefreshAsync(tokens.RefreshToken!, cancellationToken, AccountApi);
        replayed.AccessToken.ShouldBeNull();
        replayed.Error.ShouldBe("invalid_grant");

        // A replay means the token leaked: the whole chain is revoked, so whoever holds the rotated token is out too.
        var afterReplay = await flow.RefreshAsync(refreshed.RefreshToken, cancellationToken, AccountApi);
        afterReplay.Error.ShouldBe("invalid_grant");
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Each_access_token_names_one_API_carries_only_its_scope_the_subject_and_roles_and_never_the_name_or_email()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        var tokens = await stack.App.SignInAsync(learner.Email, learner.Password, cancellationToken, scope: Scopes);

        foreach (var (service, scope, other) in new[] { ("identity", "account", "catalog"), ("catalog", "catalog", "account") })
        {
            var access = new JsonWebToken(tokens[service]);
            access.Typ.ShouldBe("at+jwt");
            access.Subject.ShouldBe(learner.SubjectId.ToString());
            access.Audiences.ShouldBe([StackFixture.Apis[service].Audience], $"the {service} token names its API only");
            var scopes = access.GetPayloadValue<string>("scope").Split(' ');
            scopes.ShouldContain(scope);
            scopes.ShouldNotContain(other, $"the {service} token carries no other API's scope");
            access.GetPayloadValue<string>("role").ShouldBe("learner");
            tokens[service].ShouldNotContain(learner.Email);
            access.TryGetPayloadValue<string>("email", out _).ShouldBeFalse();
            access.TryGetPayloadValue<string>("name", out _).ShouldBeFalse();
            (access.ValidTo - access.IssuedAt).ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));
        }
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_token_Identity_issued_for_one_API_is_refused_by_every_other_API()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // The operator: the one kind of caller that may call something at each of the six APIs.
        var tokens = await stack.App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken);
        var failures = new List<string>();

        // One call the operator may make at each API (a read where there is one): with its own API's token it answers as the
        // authorization matrix says, with the token of any other API it is refused as unauthenticated.
        foreach (var row in StackFixture.Services.Select(service => AuthorizationMatrix.Rows
                     .Where(row => row.Service == service && row.IsProtected && !row.Path.Contains('{', StringComparison.Ordinal) &&
                                   row.Expected[Caller.Operator] is not (401 or 403))
                     .OrderBy(row => row.Method == HttpMethod.Get ? 0 : 1)
                     .First()))
        {
            foreach (var issuedFor in StackFixture.Services)
            {
                using var http = stack.App.CreateHttpClient(row.Service);
                using var request = new HttpRequestMessage(row.Method, row.Path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[issuedFor]);
                if (row.Body is not null)
                {
                    request.Content = new StringContent(row.Body, System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await http.SendAsync(request, cancellationToken);
                var expected = issuedFor == row.Service ? row.Expected[Caller.Operator] : 401;
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{row} with the token for {issuedFor}: {(int)response.StatusCode}, not {expected}");
                }
            }
        }

        failures.ShouldBeEmpty();
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task Redeeming_a_grant_for_several_APIs_without_naming_one_or_naming_one_outside_it_is_refused_and_the_code_still_works()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var learner = await stack.App.RegisterLearnerAsync(cancellationToken);
        using var browser = SignInFlow.CreateBrowser(stack.App.IdentityUri());
        var flow = new SignInFlow(browser);
        var (code, verifier) = await flow.AuthorizeAsync(learner.Email, learner.Password, Scopes, Pkce.Create(), cancellationToken);

        var unnamed = await flow.RedeemAsync(code, verifier, cancellationToken);
        unnamed.AccessToken.ShouldBeNull();
        unnamed.Error.ShouldBe("invalid_target");
        unnamed.ErrorDescription!.ShouldContain("urn:certometer:catalog", customMessage: "the refusal names the resources to choose from");

        var outside = await flow.RedeemAsync(code, verifier, cancellationToken, StackFixture.Apis["billing"].Audience);
        outside.AccessToken.ShouldBeNull();
        outside.Error.ShouldBe("invalid_target");

        var unknown = await flow.RedeemAsync(code, verifier, cancellationToken, "https://evil.example/api");
        unknown.AccessToken.ShouldBeNull();
        unknown.Error.ShouldBe("invalid_target");

        var named = await flow.RedeemAsync(code, verifier, cancellationToken, StackFixture.Apis["catalog"].Audience);
        named.AccessToken.ShouldNotBeNull(named.ErrorDescription);
        new JsonWebToken(named.AccessToken).Audiences.ShouldBe([StackFixture.Apis["catalog"].Audience]);
    }

    [Fact(Timeout = StackFixture.TestTimeout)]
    public async Task A_service_client_gets_one_API_per_token_too()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = stack.App.IdentityUri() };
        var unnamed = await new SignInFlow(http).TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Accounts.ServiceClientId,
            ["client_secret"] = Accounts.ServiceClientSecret,
            ["scope"] = "catalog billing",
        }, cancellationToken);
        unnamed.AccessToken.ShouldBeNull();
        unnamed.Error.ShouldBe("invalid_target");

        var billing = await stack.App.ServiceTokenAsync("catalog billing", cancellationToken, StackFixture.Apis["billing"].Audience);
        var token = new JsonWebToken(billing);
        token.Audiences.ShouldBe([StackFixture.Apis["billing"].Audience]);
        token.GetPayloadValue<string>("scope").Split(' ').ShouldBe(["billing"]);
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
