using Certometer.Analytics.Data;
using Certometer.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Certometer.Analytics.Reports;

/// <summary>One group in a report: a value (or <c>(other)</c> for the folded rest), its distinct visitors and its events.</summary>
public sealed record ReportGroup(string Value, int Visitors, int Events);

/// <summary>Interest in each area of the site per UTC day.</summary>
public sealed record AreaInterestReport(DateOnly From, DateOnly To, int MinimumGroupSize, IReadOnlyList<AreaInterestDay> Days);

/// <summary>The areas visited on one UTC day.</summary>
public sealed record AreaInterestDay(DateOnly Day, IReadOnlyList<ReportGroup> Areas);

/// <summary>Who visits, in aggregate: device types, browser families, languages and coarse locations over the range.</summary>
public sealed record AudienceReport(
    DateOnly From,
    DateOnly To,
    int MinimumGroupSize,
    IReadOnlyList<ReportGroup> Devices,
    IReadOnlyList<ReportGroup> Browsers,
    IReadOnlyList<ReportGroup> Languages,
    IReadOnlyList<ReportGroup> Locations);

/// <summary>Where visitors come from and where they leave, top first.</summary>
public sealed record PagesReport(DateOnly From, DateOnly To, int MinimumGroupSize, IReadOnlyList<ReportGroup> TopReferrers, IReadOnlyList<ReportGroup> TopExitPages);

/// <summary>A report's UTC date range, both ends inclusive, as the half-open instant range queries use.</summary>
internal sealed record ReportRange(DateOnly From, DateOnly To)
{
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

internal static class ReportEndpoints
{
    public const string Other = "(other)";
    public const int MaxTop = 50;

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/analytics/reports").WithTags("Reports").RequireAuthorization(PlatformPolicies.Operator);
        reports.MapGet("/areas", GetAreaInterest).WithName("GetAreaInterestReport")
            .WithSummary("Distinct visitors and page views per area of the site per UTC day, from and to inclusive.");
        reports.MapGet("/audience", GetAudience).WithName("GetAudienceReport")
            .WithSummary("Device, browser, language and coarse-location mix over a date range.");
        reports.MapGet("/pages", GetPages).WithName("GetPagesReport")
            .WithSummary("Top referring pages and top exit pages over a date range.");
        return app;
    }

    private static async Task<Results<Ok<AreaInterestReport>, ValidationProblem>> GetAreaInterest(
        DateOnly? from, DateOnly? to, AnalyticsDbContext db, IOptions<ReportOptions> options, CancellationToken cancellationToken)
    {
        if (Range(from, to, options.Value, out var errors) is not { } range)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var minimum = options.Value.MinimumGroupSize;
        var rows = await GroupedCounts.CountAsync(db, Dimension.Area, range, minimum, byDay: true, top: int.MaxValue, cancellationToken);
        var days = rows.GroupBy(row => row.Day!.Value)
            .Select(day => new AreaInterestDay(day.Key, Groups(day)))
            .ToList();
        return TypedResults.Ok(new AreaInterestReport(range.From, range.To, minimum, days));
    }

    private static async Task<Results<Ok<AudienceReport>, ValidationProblem>> GetAudience(
        DateOnly? from, DateOnly? to, AnalyticsDbContext db, IOptions<ReportOptions> options, CancellationToken cancellationToken)
    {
        if (Range(from, to, options.Value, out var errors) is not { } range)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var minimum = options.Value.MinimumGroupSize;
        Task<List<GroupedCount>> Mix(Dimension dimension) =>
            GroupedCounts.CountAsync(db, dimension, range, minimum, byDay: false, top: int.MaxValue, cancellationToken);
        // One DbContext runs one query at a time, hence one after the other.
        var devices = Groups(await Mix(Dimension.DeviceType));
        var browsers = Groups(await Mix(Dimension.Browser));
        var languages = Groups(await Mix(Dimension.Language));
        var locations = Groups(await Mix(Dimension.Location));
        return TypedResults.Ok(new AudienceReport(range.From, range.To, minimum, devices, browsers, languages, locations));
    }

    private static async Task<Results<Ok<PagesReport>, ValidationProblem>> GetPages(
        DateOnly? from, DateOnly? to, int? top, AnalyticsDbContext db, IOptions<ReportOptions> options, CancellationToken cancellationToken)
    {
        var range = Range(from, to, options.Value, out var errors);
        if (top is < 1 or > MaxTop)
        {
            errors["top"] = [$"Between 1 and {MaxTop}; 10 when left out."];
        }

        if (range is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var minimum = options.Value.MinimumGroupSize;
        var referrers = await GroupedCounts.CountAsync(db, Dimension.Referrer, range, minimum, byDay: false, top ?? 10, cancellationToken);
        var exits = await GroupedCounts.CountAsync(db, Dimension.ExitPage, range, minimum, byDay: false, top ?? 10, cancellationToken);
        return TypedResults.Ok(new PagesReport(range.From, range.To, minimum, Groups(referrers), Groups(exits)));
    }

    /// <summary>Report rows largest first, ties by value, with the folded rest last as <see cref="Other"/>.</summary>
    internal static List<ReportGroup> Groups(IEnumerable<GroupedCount> rows) =>
        [.. rows.OrderBy(row => row.Value is null).ThenByDescending(row => row.Visitors).ThenBy(row => row.Value, StringComparer.Ordinal)
            .Select(row => new ReportGroup(row.Value ?? Other, row.Visitors, row.Events))];

    /// <summary>The UTC days a report covers, or null with the errors when a bound is missing, reversed or too far apart.</summary>
    internal static ReportRange? Range(DateOnly? from, DateOnly? to, ReportOptions options, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (from is null)
        {
            errors["from"] = ["Required: the first UTC day, e.g. 2026-01-01."];
        }

        if (to is null)
        {
            errors["to"] = ["Required: the last UTC day, inclusive."];
        }

        if (from is { } start && to is { } end)
        {
            if (end < start)
            {
                errors["to"] = ["Must not be before 'from'."];
            }
            else if (end.DayNumber - start.DayNumber + 1 > options.MaxRangeDays)
            {
                errors["to"] = [$"A report covers at most {options.MaxRangeDays} days."];
            }
        }

        return errors.Count == 0 ? new ReportRange(from!.Value, to!.Value) : null;
    }
}
