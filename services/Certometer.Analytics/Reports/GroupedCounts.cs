using Certometer.Analytics.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Certometer.Analytics.Reports;

/// <summary>A usage-event column a report may group by; the only column names report SQL is ever built from.</summary>
internal enum Dimension
{
    Area,
    DeviceType,
    Browser,
    Language,
    Location,
    Referrer,
    ExitPage,
}

/// <summary>One row of a grouped count: a day (when grouped by day), a value or null for the folded rest, and its sizes.</summary>
internal sealed record GroupedCount(DateOnly? Day, string? Value, int Visitors, int Events);

/// <summary>
/// Counts distinct visitors and events per value of one dimension, enforcing the minimum group size in the database:
/// small groups (and, with a top-N, the groups beyond it) fold into one rest group, whose visitors are counted
/// distinctly again, and any group still below the minimum is dropped.
/// </summary>
internal static class GroupedCounts
{
    // Signed-in visitors' events count only while the subject allows collection and is not restricted; anonymous
    // visitors are counted by their random id.
    private const string Sql =
        """
        WITH eligible AS (
            SELECT {day} AS day, e.{column} AS key, COALESCE(e.pseudonym, e.anonymous_id::text) AS visitor
            FROM usage_events e
            LEFT JOIN collection_switches s ON s.pseudonym = e.pseudonym
            WHERE e.occurred_at >= @from AND e.occurred_at < @until AND e.{column} IS NOT NULL
              AND (e.pseudonym IS NULL OR (s.collection_allowed IS TRUE AND NOT s.restricted))
        ), sized AS (
            SELECT day, key, count(DISTINCT visitor) AS visitors,
                   row_number() OVER (PARTITION BY day ORDER BY count(DISTINCT visitor) DESC, key) AS rank
            FROM eligible
            GROUP BY day, key
        )
        SELECT e.day AS day,
               CASE WHEN z.visitors >= @minimum AND z.rank <= @top THEN e.key END AS value,
               count(DISTINCT e.visitor)::int AS visitors,
               count(*)::int AS events
        FROM eligible e
        JOIN sized z ON z.day IS NOT DISTINCT FROM e.day AND z.key = e.key
        GROUP BY 1, 2
        HAVING count(DISTINCT e.visitor) >= @minimum
        ORDER BY 1, 2 NULLS LAST
        """;

    public static Task<List<GroupedCount>> CountAsync(
        AnalyticsDbContext db, Dimension dimension, ReportRange range, int minimumGroupSize, bool byDay, int top, CancellationToken cancellationToken)
    {
        var sql = Sql
            .Replace("{column}", Column(dimension), StringComparison.Ordinal)
            .Replace("{day}", byDay ? "(e.occurred_at AT TIME ZONE 'UTC')::date" : "NULL::date", StringComparison.Ordinal);
        return db.Database.SqlQueryRaw<GroupedCount>(
                sql,
                new NpgsqlParameter("from", range.Start),
                new NpgsqlParameter("until", range.End),
                new NpgsqlParameter("minimum", minimumGroupSize),
                new NpgsqlParameter("top", (long)top))
            .ToListAsync(cancellationToken);
    }

    private static string Column(Dimension dimension) => dimension switch
    {
        Dimension.Area => "area",
        Dimension.DeviceType => "device_type",
        Dimension.Browser => "browser",
        Dimension.Language => "language",
        Dimension.Location => "location",
        Dimension.Referrer => "referrer",
        Dimension.ExitPage => "exit_page",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };
}
