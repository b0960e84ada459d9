using System.ComponentModel.DataAnnotations;
using Certometer.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Certometer.Identity.Privacy;

/// <summary>How long Identity keeps what it only needs for a while (section <c>Identity:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Identity:Retention";

    /// <summary>Sign-in attempts (with their IP addresses) older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "730.00:00:00")]
    public TimeSpan SignInHistory { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Expired, redeemed and revoked tokens and authorizations older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan SpentTokens { get; set; } = TimeSpan.FromDays(14);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Storage limitation in practice: deletes sign-in history past its retention and tokens nobody can use any more,
/// so neither grows into a record of everyone's every visit.
/// </summary>
internal sealed partial class Retention(
    IServiceScopeFactory scopeFactory, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<Retention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next round tries again; a failed prune must not take the service down.
                LogPruneFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var now = clock.GetUtcNow();
        var signInCutoff = now - options.Value.SignInHistory;
        var signIns = await db.SignIns.Where(s => s.At < signInCutoff).ExecuteDeleteAsync(cancellationToken);
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>()
            .PruneAsync(now - options.Value.SpentTokens, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>()
            .PruneAsync(now - options.Value.SpentTokens, cancellationToken);
        if (signIns + tokens + authorizations > 0)
        {
            LogPruned(signIns, tokens, authorizations);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {SignIns} old sign-in records, {Tokens} spent tokens and {Authorizations} spent authorizations")]
    private partial void LogPruned(int signIns, long tokens, long authorizations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pruning failed; retrying next round")]
    private partial void LogPruneFailed(Exception exception);
}
