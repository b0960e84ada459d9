using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Auth;

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="Window"/> from one address.</summary>
public sealed class WindowLimit
{
    [Range(1, 100_000)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; }
}

/// <summary>Per-address limits on the endpoints people try to abuse: sign-in, sign-up, anything anonymous that costs us.</summary>
public static class AbuseLimiting
{
    /// <summary>
    /// Adds a global limiter that asks <paramref name="limitFor"/> which limit, if any, a request counts against, and
    /// answers 429 with a problem and Retry-After beyond it. Call <c>app.UseRateLimiter()</c> early in the pipeline.
    /// </summary>
    /// <param name="limitFor">The limit's name (its counter, per client address) and the limit, or null when unlimited.</param>
    public static IServiceCollection AddAbuseLimiter(this IServiceCollection services, Func<HttpRequest, (string Name, WindowLimit Limit)?> limitFor)
    {
        ArgumentNullException.ThrowIfNull(limitFor);
        return services.AddRateLimiter(options =>
        {
            // A global limiter keyed by the request, not endpoint metadata: some endpoints (OpenIddict's token endpoint)
            // are answered by middleware before endpoint routing, and bad requests must count against the limit too.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (limitFor(http.Request) is not { } applicable)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
                return RateLimitPartition.GetFixedWindowLimiter($"{applicable.Name}:{address}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = applicable.Limit.PermitLimit,
                    Window = applicable.Limit.Window,
                    QueueLimit = 0,
                });
            });
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await TypedResults.Problem(
                        title: "Too many requests.",
                        detail: "This address has made too many requests to this endpoint; wait and try again.",
                        statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }
}
