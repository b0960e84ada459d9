using Certometer.Identity.Accounts;
using Certometer.Identity.PersonalData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Certometer.Identity.Tests;

public sealed class RetentionTests(IdentityService identity)
{
    [Fact]
    public async Task Sign_in_history_older_than_its_retention_is_deleted_and_recent_history_is_kept()
    {
        var learner = await identity.RegisterAsync();
        var now = DateTimeOffset.UtcNow;
        await identity.QueryAsync(async db =>
        {
            db.SignIns.AddRange(
                new SignInRecord { AccountId = learner.SubjectId, At = now.AddDays(-91), Succeeded = true, IpAddress = "192.0.2.1" },
                new SignInRecord { AccountId = learner.SubjectId, At = now.AddDays(-89), Succeeded = true, IpAddress = "192.0.2.2" });
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });

        var retention = identity.Factory.Services.GetServices<IHostedService>().OfType<Retention>().Single();
        await retention.PruneAsync(TestContext.Current.CancellationToken);

        var kept = await identity.QueryAsync(db => db.SignIns.Where(s => s.AccountId == learner.SubjectId)
            .Select(s => s.IpAddress).ToListAsync(TestContext.Current.CancellationToken));
        kept.ShouldBe(["192.0.2.2"]);
    }
}
