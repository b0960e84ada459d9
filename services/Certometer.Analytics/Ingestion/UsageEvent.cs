namespace Certometer.Analytics.Ingestion;

/// <summary>
/// One page view as stored: nothing that names a person. A signed-in visitor appears only as a <see cref="Pseudonym"/>,
/// an anonymous one only as the random id their app generated; the client address is reduced to a coarse region.
/// </summary>
public sealed class UsageEvent
{
    public long Id { get; init; }

    /// <summary>HMAC of the subject id (see <c>Pseudonyms</c>); null for anonymous visitors.</summary>
    public string? Pseudonym { get; init; }

    /// <summary>A random (version 4) UUID the visitor's app generated; null for signed-in visitors.</summary>
    public Guid? AnonymousId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The site path visited, without query or fragment.</summary>
    public required string Page { get; init; }

    /// <summary>The page's first path segment (<c>courses</c>, <c>pricing</c>; <c>home</c> for the root): what reports group by.</summary>
    public required string Area { get; init; }

    public required string DeviceType { get; init; }

    public string? Browser { get; init; }

    public string? Language { get; init; }

    public string? TimeZone { get; init; }

    /// <summary>Lower bound of the screen-width bucket, in pixels.</summary>
    public int? ScreenWidth { get; init; }

    /// <summary>Lower bound of the screen-height bucket, in pixels.</summary>
    public int? ScreenHeight { get; init; }

    /// <summary>Origin and path of the referring page; query and fragment are never kept.</summary>
    public string? Referrer { get; init; }

    /// <summary>Origin (or site) and path of the page the visitor left from; query and fragment are never kept.</summary>
    public string? ExitPage { get; init; }

    /// <summary>A region code from <see cref="ICoarseLocation"/>, or <c>unknown</c>.</summary>
    public required string Location { get; init; }
}
