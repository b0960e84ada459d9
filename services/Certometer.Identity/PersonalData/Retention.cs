using System.ComponentModel.DataAnnotations;
using Certometer.HolderContract;
using Certometer.Identity.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Certometer.Identity.PersonalData;

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
    IServiceScopeFactory scopeFactory,
    IOptions<RetentionOptions> options,
    IOptions<DataProtectionTokenProviderOptions> links,
    TimeProvider clock,
    ILogger<Retention> logger)
    : RetentionJob(clock, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    public override async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var now = Clock.GetUtcNow();
        var signInCutoff = now - options.Value.SignInHistory;
        var signIns = await db.SignIns.Where(s => s.At < signInCutoff).ExecuteDeleteAsync(cancellationToken);
        // An address whose link has expired was never confirmed as the person's: it is not kept for them.
        var pendingEmails = await db.Users.Where(a => a.PendingEmailExpiresAt < now)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.PendingEmail, (string?)null).SetProperty(a => a.PendingEmailExpiresAt, (DateTimeOffset?)null), cancellationToken);
        // A sign-up whose link expired unused was never anyone's proven account, and no other service heard of it.
        var waitingSince = now - links.Value.TokenLifespan;
        var unconfirmed = await db.Users.Where(a => !a.EmailConfirmed && a.CreatedAt < waitingSince).ExecuteDeleteAsync(cancellationToken);
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>()
            .PruneAsync(now - options.Value.SpentTokens, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>()
            .PruneAsync(now - options.Value.SpentTokens, cancellationToken);
        if (signIns + pendingEmails + unconfirmed + tokens + authorizations > 0)
        {
            LogPruned(Logger, signIns, pendingEmails, unconfirmed, tokens, authorizations);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {SignIns} old sign-in records, {PendingEmails} unconfirmed new addresses, {UnconfirmedAccounts} sign-ups never confirmed, {Tokens} spent tokens and {Authorizations} spent authorizations")]
    private static partial void LogPruned(ILogger logger, int signIns, int pendingEmails, int unconfirmedAccounts, long tokens, long authorizations);
}
