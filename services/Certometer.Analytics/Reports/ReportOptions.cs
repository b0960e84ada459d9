using System.ComponentModel.DataAnnotations;

namespace Certometer.Analytics.Reports;

/// <summary>What reports may show (section <c>Analytics:Reports</c>).</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Analytics:Reports";

    /// <summary>
    /// Groups with fewer distinct visitors than this are folded into "(other)", and an "(other)" still below it is
    /// left out, so no row describes one person. Never below 2.
    /// </summary>
    [Range(2, 1000)]
    public int MinimumGroupSize { get; set; } = 5;

    /// <summary>The longest date range one report may cover.</summary>
    [Range(1, 400)]
    public int MaxRangeDays { get; set; } = 366;
}
