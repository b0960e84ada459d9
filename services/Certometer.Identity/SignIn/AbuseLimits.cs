using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Certometer.Identity.SignIn;

/// <summary>Per-address request limits for the endpoints people try to abuse (section <c>Identity:AbuseLimits</c>).</summary>
public sealed class AbuseLimitsOptions
{
    public const string SectionName = "Identity:AbuseLimits";

    /// <summary>Password attempts on the sign-in form (also bounded per account by lockout).</summary>
    public WindowLimit SignIn { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Requests to the token endpoint: code exchanges, refreshes, client credentials.</summary>
    public WindowLimit Token { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary>New accounts.</summary>
    public WindowLimit Registration { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(10) };
}

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="Window"/> from one address.</summary>
public sealed class WindowLimit
{
    [Range(1, 100_000)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; }
}

internal static class AbuseLimits
{
    public static IHostApplicationBuilder AddAbuseLimits(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AbuseLimitsOptions.SectionName);
        builder.Services.AddOptions<AbuseLimitsOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var limits = section.Get<AbuseLimitsOptions>() ?? new AbuseLimitsOptions();

        builder.Services.AddRateLimiter(options =>
        {
            // A global limiter keyed by path, not endpoint metadata: the token endpoint is answered by OpenIddict's
            // middleware before endpoint routing, and bad token requests must count against the limit too.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var limit = LimitFor(http.Request, limits, out var name);
                if (limit is null)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
                return RateLimitPartition.GetFixedWindowLimiter($"{name}:{address}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit.PermitLimit,
                    Window = limit.Window,
                    QueueLimit = 0,
                });
            });
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await TypedResults.Problem(
                        title: "Too many requests.",
                        detail: "This address has made too many requests to this endpoint; wait and try again.",
                        statusCode: StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    private static WindowLimit? LimitFor(HttpRequest request, AbuseLimitsOptions limits, out string name)
    {
        name = request.Path.Value ?? "";
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        if (request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase))
        {
            return limits.SignIn;
        }

        if (request.Path.Equals("/connect/token", StringComparison.OrdinalIgnoreCase))
        {
            return limits.Token;
        }

        return request.Path.Equals("/api/accounts", StringComparison.OrdinalIgnoreCase) ? limits.Registration : null;
    }
}
