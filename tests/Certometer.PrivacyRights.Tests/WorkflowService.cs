using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

/// <summary>
/// PrivacyRights with a registry of two stand-in holders the tests answer for (plus PrivacyRights itself, which answers
/// its own requests), no cooling-off, and a workflow impatient enough to re-ask and escalate within a test.
/// </summary>
public sealed class WorkflowService : PrivacyRightsHost
{
    /// <summary>The holders a test plays; every request waits for them.</summary>
    public static readonly string[] StandInHolders = ["learning", "payments"];

    public const int EscalateAfterAttempts = 2;

    protected override void ConfigureHost(IWebHostBuilder host)
    {
        TrustStandIns(host, StandInHolders);
        host.UseSetting("PrivacyRights:Workflow:ErasureCoolingOff", "00:00:00")
            .UseSetting("PrivacyRights:Workflow:AnswerTimeout", "00:00:01.5")
            .UseSetting("PrivacyRights:Workflow:ClockInterval", "00:00:00.25")
            .UseSetting("PrivacyRights:Workflow:EscalateAfterAttempts", EscalateAfterAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    protected override async Task StartedAsync()
    {
        foreach (var holder in StandInHolders)
        {
            await PublishAsync(new PersonalDataInventoryDeclared(
                holder,
                [new PersonalDataCategory($"{holder}-records", ["subject id"], "Standing in for a holder.", ErasureAction.Erase, Exported: true)],
                "Stops processing.",
                DateTimeOffset.UtcNow));
        }

        await Eventually.HoldsAsync(
            async () => await this.InDatabaseAsync(db => db.PersonalDataHolders.CountAsync()) == StandInHolders.Length + 1,
            "the stand-in holders and PrivacyRights itself are registered");
    }

    /// <summary>Publishes as a holder (or Identity, or Notifications) would, each time as a new message.</summary>
    public async Task PublishAsync<T>(T message)
        where T : class =>
        await Factory.Services.GetRequiredService<IBus>().Publish(message, TestContext.Current.CancellationToken);
}
