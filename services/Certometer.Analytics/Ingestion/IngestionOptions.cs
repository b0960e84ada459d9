using System.ComponentModel.DataAnnotations;

namespace Certometer.Analytics.Ingestion;

/// <summary>How far an event's own timestamp may stray from the server's clock (section <c>Analytics:Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Analytics:Ingestion";

    /// <summary>Older events are refused: mobile apps send what they queued offline, but not forever.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Events up to this far in the future are clamped to now (device clocks drift); further ones are refused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
