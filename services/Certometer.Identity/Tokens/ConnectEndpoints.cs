using System.Collections.Immutable;
using System.Security.Claims;
using Certometer.Auth;
using Certometer.Identity.Accounts;
using Certometer.Identity.SignIn;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Certometer.Identity.Tokens;

/// <summary>
/// The parts of the OpenID Connect protocol that need our decisions: who is signed in (authorize), whether they may
/// still have tokens (token), and signing out. OpenIddict has validated each request before these run.
/// </summary>
internal static class ConnectEndpoints
{
    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        // Anonymous on purpose: these are the protocol endpoints a client calls before it has a token. OpenIddict
        // authenticates the client itself; the sign-in session is checked below.
        var connect = app.MapGroup("/connect").AllowAnonymous().ExcludeFromDescription();
        connect.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], Authorize);
        connect.MapPost("/token", Exchange);
        // A GET is what a link or an image on any other site sends: it only asks, on the sign-out page, whose form posts
        // back here with the request's parameters and an antiforgery token. Only that POST signs out.
        connect.MapGet("/endsession", (HttpContext http) => Results.Redirect(LogoutModel.PagePath + http.Request.QueryString));
        connect.MapPost("/endsession", EndSession);
        return app;
    }

    private static async Task<IResult> Authorize(
        HttpContext http, UserManager<Account> accounts, SignInManager<Account> signIns, SecondFactor secondFactor)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var account = session.Succeeded ? await accounts.GetUserAsync(session.Principal) : null;
        // A session from before a second factor was required of the account does not count: it must sign in again, with the code.
        if (account is null || request.HasPromptValue(PromptValues.Login) || !await CanHaveTokensAsync(account, accounts, signIns)
            || !await secondFactor.IsSatisfiedBy(session.Principal!, account))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back to this same request after signing in, minus prompt=login so the user is not asked twice.
            var parameters = request.GetParameters()
                .Where(parameter => parameter.Key != Parameters.Prompt)
                .Select(parameter => KeyValuePair.Create(parameter.Key, (string?)parameter.Value.ToString()));
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters) },
                [IdentityConstants.ApplicationScheme]);
        }

        // The code may be redeemed for any API it covers; the token endpoint picks one per access token.
        var principal = await CreatePrincipalAsync(account, request.GetScopes(), MethodsOf(session.Principal!), accounts, http.RequestAborted);
        principal.SetResources(PlatformApi.OfScopes(request.GetScopes()).Select(api => api.Audience));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> Exchange(
        HttpContext http,
        UserManager<Account> accounts,
        SignInManager<Account> signIns,
        IOpenIddictApplicationManager applications)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!, http.RequestAborted)
                ?? throw new InvalidOperationException("OpenIddict authenticated a client that is not registered.");
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId)
                .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, http.RequestAborted))
                .SetClaims(Claims.Role, [PlatformRoles.ServiceClient]);
            var (serviceApi, serviceRefusal) = AccessTokenAudience.Choose(request.GetResources(), request.GetScopes());
            if (serviceRefusal is not null)
            {
                return Refuse(Errors.InvalidTarget, serviceRefusal);
            }

            identity.SetScopes(request.GetScopes());
            identity.SetResources(AudienceOf(serviceApi));
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        // Authorization code or refresh token: the grant was valid when issued, but the account may since have been
        // locked, erased or had its roles changed, so the tokens are rebuilt from the account as it is now.
        var grant = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = grant.Principal?.GetClaim(Claims.Subject);
        var account = subject is null ? null : await accounts.FindByIdAsync(subject);
        if (account is null || !await CanHaveTokensAsync(account, accounts, signIns))
        {
            return Refuse(Errors.InvalidGrant, "The account can no longer sign in.");
        }

        var grantedScopes = grant.Principal!.GetScopes();
        var (api, refusal) = AccessTokenAudience.Choose(request.GetResources(), grantedScopes);
        if (refusal is not null)
        {
            return Refuse(Errors.InvalidTarget, refusal);
        }

        // How the person proved who they are is as it was at sign-in; a refresh proves nothing new.
        var principal = await CreatePrincipalAsync(account, grantedScopes, MethodsOf(grant.Principal!), accounts, http.RequestAborted);
        principal.SetResources(AudienceOf(api));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> EndSession(HttpContext http, IAntiforgery antiforgery, SignInManager<Account> signIns)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(
                title: "Signing out needs the confirmation form.",
                detail: $"Open {LogoutModel.PagePath} (or GET /connect/endsession) and confirm there; a sign-out posted from anywhere else is refused.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        await signIns.SignOutAsync();
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<bool> CanHaveTokensAsync(Account account, UserManager<Account> accounts, SignInManager<Account> signIns) =>
        account.LockedForErasureAt is null && !await accounts.IsLockedOutAsync(account) && await signIns.CanSignInAsync(account);

    private static ImmutableArray<string> MethodsOf(ClaimsPrincipal principal) =>
        [.. principal.FindAll(Claims.AuthenticationMethodReference).Select(claim => claim.Value).Distinct(StringComparer.Ordinal)];

    private static async Task<ClaimsPrincipal> CreatePrincipalAsync(
        Account account,
        ImmutableArray<string> grantedScopes,
        ImmutableArray<string> methods,
        UserManager<Account> accounts,
        CancellationToken cancellationToken)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Id.ToString())
            .SetClaim(Claims.Name, account.Name)
            .SetClaim(Claims.Email, account.Email)
            .SetClaims(Claims.Role, [.. await accounts.GetRolesAsync(account)])
            .SetClaims(Claims.AuthenticationMethodReference, methods);
        identity.SetScopes(grantedScopes);
        identity.SetDestinations(claim => DestinationsOf(claim, identity));
        return new ClaimsPrincipal(identity);
    }

    // Access tokens travel to every API and end up in their logs and caches, so they carry the subject id and roles
    // only. Name and email go into the ID token, for the client app itself, and only when it asked for them.
    private static IEnumerable<string> DestinationsOf(Claim claim, ClaimsIdentity identity) => claim.Type switch
    {
        Claims.Name when identity.HasScope(Scopes.Profile) => [Destinations.IdentityToken],
        Claims.Email when identity.HasScope(Scopes.Email) => [Destinations.IdentityToken],
        Claims.Role when identity.HasScope(Scopes.Roles) => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Role => [Destinations.AccessToken],
        // APIs read it to require a second factor of staff; the client app may show it.
        Claims.AuthenticationMethodReference => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Name or Claims.Email => [],
        _ => [Destinations.AccessToken],
    };

    private static ImmutableArray<string> AudienceOf(PlatformApi? api) => api is null ? [] : [api.Audience];

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
