using System.Globalization;
using System.Text.RegularExpressions;

namespace Certometer.Analytics.Ingestion;

/// <summary>
/// Validates an incoming usage event and reduces it to what is stored: closed value sets, bucketed screens, and page
/// addresses cut to origin and path, because query strings and fragments routinely carry emails and reset tokens.
/// </summary>
internal static partial class EventRules
{
    public const int MaxPathLength = 200;
    public const int MaxAddressLength = 2048;
    public const int MaxStoredAddressLength = 300;
    public const int MaxLanguageLength = 35;
    public const int MaxTimeZoneLength = 64;
    public const int MaxScreenPixels = 16_384;

    public static readonly IReadOnlySet<string> DeviceTypes = new HashSet<string>(StringComparer.Ordinal) { "desktop", "tablet", "mobile", "other" };

    public static readonly IReadOnlySet<string> Browsers = new HashSet<string>(StringComparer.Ordinal)
    {
        "chrome", "edge", "firefox", "safari", "opera", "samsung-internet", "other",
    };

    // Lower bounds of the buckets: enough to design layouts for, too coarse to fingerprint a device by.
    private static readonly int[] WidthBuckets = [0, 360, 480, 768, 1024, 1280, 1440, 1920, 2560, 3840];
    private static readonly int[] HeightBuckets = [0, 480, 640, 768, 900, 1080, 1440, 2160];

    /// <summary>Checks <paramref name="request"/>, adding errors under <paramref name="prefix"/>; returns the event to store when valid.</summary>
    /// <param name="visitor">Who the event is stored under; without a pseudonym the event must carry its own random visitor id.</param>
    public static UsageEvent? Check(
        UsageEventRequest? request,
        string prefix,
        VisitorKey visitor,
        string location,
        DateTimeOffset now,
        IngestionOptions options,
        Dictionary<string, string[]> errors)
    {
        var before = errors.Count;
        void Fail(string field, string message) => errors[prefix + field] = [message];

        if (request is null)
        {
            errors[prefix.TrimEnd('.')] = ["An event is required."];
            return null;
        }

        var page = SitePath(request.Page);
        if (page is null)
        {
            Fail("page", $"Required: the site path visited, starting with '/', at most {MaxPathLength} characters of letters, digits, '-', '.', '_', '~' and '/'.");
        }

        var device = request.DeviceType?.Trim().ToLowerInvariant();
        if (device is null || !DeviceTypes.Contains(device))
        {
            Fail("deviceType", $"Required: one of {string.Join(", ", DeviceTypes)}.");
        }

        var browser = request.Browser?.Trim().ToLowerInvariant();
        if (browser is not null && !Browsers.Contains(browser))
        {
            Fail("browser", $"A browser family, one of {string.Join(", ", Browsers)}; not a user-agent string.");
        }

        var language = request.Language is null ? null : LanguageTag(request.Language);
        if (request.Language is not null && language is null)
        {
            Fail("language", $"A language tag such as 'en' or 'de-CH', at most {MaxLanguageLength} characters.");
        }

        var timeZone = request.TimeZone?.Trim();
        if (timeZone is not null && (timeZone.Length > MaxTimeZoneLength || !TimeZoneName().IsMatch(timeZone)))
        {
            Fail("timeZone", "An IANA time-zone name such as 'Europe/Zurich' or 'UTC'.");
        }

        if ((request.ScreenWidth is null) != (request.ScreenHeight is null))
        {
            Fail(request.ScreenWidth is null ? "screenWidth" : "screenHeight", "Give screen width and height together, or neither.");
        }

        if (request.ScreenWidth is < 1 or > MaxScreenPixels)
        {
            Fail("screenWidth", $"Between 1 and {MaxScreenPixels} pixels.");
        }

        if (request.ScreenHeight is < 1 or > MaxScreenPixels)
        {
            Fail("screenHeight", $"Between 1 and {MaxScreenPixels} pixels.");
        }

        var referrer = PageAddress(request.Referrer, out var referrerValid);
        if (!referrerValid)
        {
            Fail("referrer", $"An http(s) address or a site path, at most {MaxAddressLength} characters.");
        }

        var exitPage = PageAddress(request.ExitPage, out var exitValid);
        if (!exitValid)
        {
            Fail("exitPage", $"An http(s) address or a site path, at most {MaxAddressLength} characters.");
        }

        var occurredAt = request.OccurredAt;
        if (occurredAt is null)
        {
            Fail("occurredAt", "Required: when the page was viewed (ISO 8601 with offset).");
        }
        else if (occurredAt > now + options.MaxClockSkew)
        {
            Fail("occurredAt", "Is in the future; check the device clock.");
        }
        else if (occurredAt < now - options.MaxEventAge)
        {
            Fail("occurredAt", $"Is older than {options.MaxEventAge.TotalHours.ToString(CultureInfo.InvariantCulture)} hours; such events are no longer accepted.");
        }

        Guid? anonymousId = null;
        if (visitor.Pseudonym is null)
        {
            // Version 4 only: a random id the app made up, not one derived from the device, an account or a clock.
            if (!Guid.TryParseExact(request.AnonymousId?.Trim() ?? "", "D", out var parsed) || parsed.Version != 4 || parsed.Variant is < 8 or > 11)
            {
                Fail("anonymousId", "Required without a token: a random (version 4) UUID generated by the app, e.g. 0f8e1c2a-5b7d-4e3f-9a1b-2c3d4e5f6a7b.");
            }
            else
            {
                anonymousId = parsed;
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new UsageEvent
        {
            Pseudonym = visitor.Pseudonym,
            // A signed-in app may still send its anonymous id; it is dropped so earlier anonymous visits stay unlinkable.
            AnonymousId = anonymousId,
            OccurredAt = occurredAt! > now ? now : occurredAt!.Value.ToUniversalTime(),
            Page = page!,
            Area = AreaOf(page!),
            DeviceType = device!,
            Browser = browser,
            Language = language,
            TimeZone = timeZone,
            ScreenWidth = request.ScreenWidth is { } width ? Bucket(width, WidthBuckets) : null,
            ScreenHeight = request.ScreenHeight is { } height ? Bucket(height, HeightBuckets) : null,
            Referrer = referrer,
            ExitPage = exitPage,
            Location = location,
        };
    }

    /// <summary>A site path without query or fragment, in a character set that cannot spell an email address; null when invalid.</summary>
    private static string? SitePath(string? value)
    {
        var path = StripQueryAndFragment(value?.Trim());
        return path is { Length: > 0 and <= MaxPathLength } && SafePath().IsMatch(path) ? path : null;
    }

    private static string AreaOf(string page)
    {
        var first = page.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first is null ? "home" : first.ToLowerInvariant();
    }

    /// <summary>Origin and path only (no user info, query or fragment), cut to the stored length; valid when absent.</summary>
    private static string? PageAddress(string? value, out bool valid)
    {
        valid = true;
        if (value is null)
        {
            return null;
        }

        value = value.Trim();
        if (value.Length is 0 or > MaxAddressLength)
        {
            valid = false;
            return null;
        }

        if (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal))
        {
            var path = SitePath(value.Length > MaxPathLength ? value[..MaxPathLength] : value);
            valid = path is not null;
            return path;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            valid = false;
            return null;
        }

        // Authority leaves out user:password@, which some referrers still carry.
        var address = $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
        return address.Length > MaxStoredAddressLength ? address[..MaxStoredAddressLength] : address;
    }

    private static string? StripQueryAndFragment(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var cut = value.IndexOfAny(['?', '#']);
        return cut < 0 ? value : value[..cut];
    }

    /// <summary>The tag in conventional case (<c>de-CH</c>, <c>zh-Hant-TW</c>), or null when it is not a plausible BCP 47 tag.</summary>
    private static string? LanguageTag(string value)
    {
        value = value.Trim();
        if (value.Length > MaxLanguageLength || !LanguageTagShape().IsMatch(value))
        {
            return null;
        }

        var parts = value.Split('-');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = i == 0 ? parts[i].ToLowerInvariant()
                : parts[i].Length == 2 && char.IsLetter(parts[i][0]) ? parts[i].ToUpperInvariant()
                : parts[i].Length == 4 && char.IsLetter(parts[i][0]) ? char.ToUpperInvariant(parts[i][0]) + parts[i][1..].ToLowerInvariant()
                : parts[i].ToLowerInvariant();
        }

        return string.Join('-', parts);
    }

    private static int Bucket(int pixels, int[] bounds)
    {
        var bucket = bounds[0];
        foreach (var bound in bounds)
        {
            if (pixels >= bound)
            {
                bucket = bound;
            }
        }

        return bucket;
    }

    [GeneratedRegex("^/[A-Za-z0-9._~/-]*$")]
    private static partial Regex SafePath();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$")]
    private static partial Regex LanguageTagShape();

    [GeneratedRegex("^(UTC|[A-Z][A-Za-z_]+(/[A-Za-z0-9_+-]+){1,2})$")]
    private static partial Regex TimeZoneName();
}
