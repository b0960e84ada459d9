using System.ComponentModel.DataAnnotations;
using Certometer.Analytics.Data;
using Certometer.HolderContract;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certometer.Analytics.PersonalData;

/// <summary>How long Analytics keeps raw usage events (section <c>Analytics:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Analytics:Retention";

    /// <summary>Usage events older than this are deleted; 13 months lets a report compare a month with the same month last year.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "800.00:00:00")]
    public TimeSpan UsageEvents { get; set; } = TimeSpan.FromDays(396);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Storage limitation: deletes usage events past their retention, so the table never becomes a lifelong record.</summary>
internal sealed partial class Retention(
    IServiceScopeFactory scopeFactory, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<Retention> logger)
    : RetentionJob(clock, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    public override async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        var cutoff = Clock.GetUtcNow() - options.Value.UsageEvents;
        var deleted = await db.UsageEvents.Where(e => e.OccurredAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPruned(Logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Events} old usage events")]
    private static partial void LogPruned(ILogger logger, int events);
}
