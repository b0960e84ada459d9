namespace Certometer.Billing.PriceList;

/// <summary>Billing's copy of what Catalog has on sale: the only source of an order's price, currency and title.</summary>
internal sealed class CourseOffer
{
    public Guid CourseId { get; init; }

    public required string Title { get; set; }

    public long PriceMinor { get; set; }

    public required string Currency { get; set; }

    /// <summary>Catalog's version of the course; a message with a lower one arrived late and changes nothing.</summary>
    public long Version { get; set; }

    public bool Retired { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}
