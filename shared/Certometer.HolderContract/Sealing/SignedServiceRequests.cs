using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Certometer.HolderContract.Answers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.HolderContract.Sealing;

/// <summary>
/// A service-to-service call signed with the caller's own answer-signing key (the key its privacy answers carry), so
/// PrivacyRights knows which holder asks, by the same keys it already trusts, and nothing else can ask.
/// </summary>
/// <remarks>
/// The signature covers the method, the path and the time, and is good for <see cref="Window"/> either side of now: a
/// captured request replays only within it, and only to the same answer it already revealed.
/// </remarks>
public static class SignedServiceRequests
{
    public const string ServiceHeader = "Certometer-Service";
    public const string SignedAtHeader = "Certometer-Signed-At";
    public const string SignatureHeader = "Certometer-Signature";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    /// <summary>Signs <paramref name="request"/> as <paramref name="service"/>.</summary>
    public static void Sign(HttpRequestMessage request, string service, ECDsa key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var signedAt = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = key.SignData(SignedBytes(request.Method.Method, request.RequestUri!.PathAndQuery, service, signedAt), HashAlgorithmName.SHA256);
        request.Headers.Add(ServiceHeader, service);
        request.Headers.Add(SignedAtHeader, signedAt);
        request.Headers.Add(SignatureHeader, Convert.ToBase64String(signature));
    }

    /// <summary>
    /// Lets the endpoint run only for a request signed by a holder PrivacyRights has a key for, inside the time window;
    /// anything else gets a 401 problem. The endpoint then opts out of bearer tokens, which services do not carry.
    /// </summary>
    public static RouteHandlerBuilder RequireSignedServiceRequest(this RouteHandlerBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AllowAnonymous().AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var verifier = http.RequestServices.GetRequiredService<HolderAnswerVerifier>();
            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            return SignerOf(http.Request, verifier, clock.GetUtcNow()) is null
                ? TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "This call must be signed by a Certometer service.",
                    detail: $"Send {ServiceHeader}, {SignedAtHeader} (Unix seconds, within {Window.TotalMinutes:0} minutes of now) and {SignatureHeader} (ECDSA P-256 by the service's answer-signing key).")
                : await next(context);
        });
    }

    /// <summary>The holder that signed <paramref name="request"/>, or null when no known holder did, or not recently.</summary>
    internal static string? SignerOf(HttpRequest request, HolderAnswerVerifier verifier, DateTimeOffset now)
    {
        var service = request.Headers[ServiceHeader].ToString();
        var signedAt = request.Headers[SignedAtHeader].ToString();
        var header = request.Headers[SignatureHeader].ToString();
        if (!long.TryParse(signedAt, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Window)
        {
            return null;
        }

        var signature = new byte[header.Length];
        if (!Convert.TryFromBase64String(header, signature, out var length))
        {
            return null;
        }

        var data = SignedBytes(request.Method, $"{request.PathBase}{request.Path}{request.QueryString}", service, signedAt);
        return verifier.Verifies(service, data, signature.AsSpan(0, length)) ? service : null;
    }

    private static byte[] SignedBytes(string method, string pathAndQuery, string service, string signedAt) =>
        Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()} {pathAndQuery}\n{service}\n{signedAt}");
}
