using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Web;

namespace Certometer.TestInfrastructure;

/// <summary>What Identity's token endpoint returns.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

/// <summary>
/// Walks Identity's authorization code flow with PKCE the way a browser and a public client app do, over plain HTTP:
/// authorize, follow the redirect to the sign-in form, post it, follow back, take the code, redeem it.
/// </summary>
/// <param name="browser">A client that keeps cookies and does not follow redirects; see <see cref="CreateBrowser"/>.</param>
public sealed class SignInFlow(HttpClient browser, string clientId = SignInFlow.WebClientId, string redirectUri = SignInFlow.WebRedirectUri)
{
    public const string WebClientId = "certometer-web";
    public const string WebRedirectUri = "http://localhost:3000/auth/callback";

    public static HttpClient CreateBrowser(Uri identity) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = identity,
        };

    /// <summary>
    /// Signs in and returns the tokens, the access token for <paramref name="resource"/> (needed when
    /// <paramref name="scope"/> names more than one API); fails the test with the server's words if any step goes wrong.
    /// </summary>
    public async Task<TokenResponse> SignInAsync(string email, string password, string scope, CancellationToken cancellationToken, string? resource = null)
    {
        var code = await AuthorizeAsync(email, password, scope, Pkce.Create(), cancellationToken);
        var tokens = await RedeemAsync(code.Code, code.Verifier, cancellationToken, resource);
        if (tokens.AccessToken is null)
        {
            throw new InvalidOperationException($"The code was not redeemed: {tokens.Error} {tokens.ErrorDescription}");
        }

        return tokens;
    }

    /// <summary>Runs the front-channel part and returns the authorization code (and the verifier that goes with it).</summary>
    public async Task<(string Code, string Verifier)> AuthorizeAsync(
        string email, string password, string scope, Pkce pkce, CancellationToken cancellationToken)
    {
        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        using var authorize = await browser.GetAsync(AuthorizeUri(scope, state, pkce.Challenge, "S256"), cancellationToken);
        var loginPage = ExpectRedirect(authorize, "the authorization endpoint, before sign-in");

        using var signIn = await PostSignInFormAsync(loginPage, email, password, cancellationToken);
        var back = ExpectRedirect(signIn, "the sign-in form");

        using var authorized = await browser.GetAsync(back, cancellationToken);
        var callback = ExpectRedirect(authorized, "the authorization endpoint, after sign-in");
        if (!callback.AbsoluteUri.StartsWith(redirectUri, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Expected a redirect to {redirectUri}, got {callback}.");
        }

        var query = HttpUtility.ParseQueryString(callback.Query);
        if (query["state"] != state)
        {
            throw new InvalidOperationException("The state did not come back unchanged.");
        }

        return (query["code"] ?? throw new InvalidOperationException($"No code in {callback}: {query["error"]} {query["error_description"]}"), pkce.Verifier);
    }

    /// <summary>The authorization request URI a client app would send the browser to.</summary>
    public string AuthorizeUri(string scope, string state, string? challenge, string? challengeMethod)
    {
        var query = HttpUtility.ParseQueryString(string.Empty);
        query["client_id"] = clientId;
        query["redirect_uri"] = redirectUri;
        query["response_type"] = "code";
        query["scope"] = scope;
        query["state"] = state;
        if (challenge is not null)
        {
            query["code_challenge"] = challenge;
        }

        if (challengeMethod is not null)
        {
            query["code_challenge_method"] = challengeMethod;
        }

        return "/connect/authorize?" + query;
    }

    /// <summary>Loads the sign-in form at <paramref name="loginPage"/> and submits it, as a browser would.</summary>
    public Task<HttpResponseMessage> PostSignInFormAsync(Uri loginPage, string email, string password, CancellationToken cancellationToken) =>
        BrowserForm.SubmitAsync(browser, loginPage, new Dictionary<string, string> { ["Email"] = email, ["Password"] = password }, cancellationToken);

    /// <summary>Redeems the code; <paramref name="resource"/> (RFC 8707) names the API the access token is for.</summary>
    public async Task<TokenResponse> RedeemAsync(string code, string verifier, CancellationToken cancellationToken, string? resource = null) =>
        await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["code"] = code,
            ["code_verifier"] = verifier,
        }, cancellationToken, resource);

    /// <summary>Trades the refresh token for new tokens; <paramref name="resource"/> names the API the access token is for.</summary>
    public async Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken, string? resource = null) =>
        await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        }, cancellationToken, resource);

    public async Task<TokenResponse> TokenAsync(Dictionary<string, string> parameters, CancellationToken cancellationToken, string? resource = null)
    {
        if (resource is not null)
        {
            parameters["resource"] = resource;
        }

        using var content = new FormUrlEncodedContent(parameters);
        using var response = await browser.PostAsync("/connect/token", content, cancellationToken);
        return await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode} with no body.");
    }

    private Uri ExpectRedirect(HttpResponseMessage response, string step)
    {
        if (response.StatusCode is not (HttpStatusCode.Found or HttpStatusCode.Redirect or HttpStatusCode.SeeOther) || response.Headers.Location is null)
        {
            throw new InvalidOperationException(
                $"Expected a redirect from {step}, got {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }

        var location = response.Headers.Location;
        return location.IsAbsoluteUri ? location : new Uri(browser.BaseAddress!, location);
    }
}

/// <summary>A PKCE verifier and its S256 challenge (RFC 7636).</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Base64Url(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
