using Certometer.Analytics.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Certometer.Analytics.Ingestion;

/// <summary>
/// Stores page views with PostgreSQL's binary COPY: one round trip and no per-row statement, parse or plan, where
/// EF Core's batched INSERT cost about nine times as much server and client time per event
/// (bench/analytics-ingestion.md). Reading is still EF Core's; only this hot write path is hand-written.
/// </summary>
internal static class UsageEventWriter
{
    // Every mapped column but the identity key, in the order the rows below are written.
    internal const string CopyCommand =
        "COPY usage_events (pseudonym, anonymous_id, occurred_at, page, area, device_type, browser, language, time_zone, " +
        "screen_width, screen_height, referrer, exit_page, location) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// Writes <paramref name="events"/> on <paramref name="db"/>'s connection, in its transaction if one is open;
    /// either every row is stored or none (COPY is one statement).
    /// </summary>
    public static async Task WriteAsync(AnalyticsDbContext db, IReadOnlyList<UsageEvent> events, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var import = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken);
            foreach (var usage in events)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(usage.Pseudonym, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.AnonymousId, NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(usage.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(usage.Page, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.Area, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.DeviceType, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.Browser, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.Language, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.TimeZone, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.ScreenWidth, NpgsqlDbType.Integer, cancellationToken);
                await import.WriteAsync(usage.ScreenHeight, NpgsqlDbType.Integer, cancellationToken);
                await import.WriteAsync(usage.Referrer, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.ExitPage, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(usage.Location, NpgsqlDbType.Varchar, cancellationToken);
            }

            await import.CompleteAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
