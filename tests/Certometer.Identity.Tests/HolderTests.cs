using System.Text.Json;
using Certometer.Contracts.Privacy;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Identity.Tests;

public sealed class HolderTests(IdentityService identity)
{
    [Fact]
    public async Task Export_holds_the_account_profile_and_sign_in_history_but_never_the_password_hash()
    {
        var learner = await identity.RegisterAsync();
        var (_, _, browser) = await identity.SignInAsync(learner);
        browser.Dispose();
        var requestId = Guid.NewGuid();

        await PublishAsync(new SubjectDataExportRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));

        var part = await identity.WaitForEventAsync<SubjectDataExported>(e => e.RequestId == requestId);
        part.Service.ShouldBe("identity");
        using var content = JsonDocument.Parse(part.ContentJson);
        content.RootElement.GetProperty("account").GetProperty("email").GetString().ShouldBe(learner.Email);
        content.RootElement.GetProperty("profile").GetProperty("name").GetString().ShouldBe(learner.Name);
        content.RootElement.GetProperty("profile").GetProperty("phone").GetString().ShouldBe(learner.Phone);
        content.RootElement.GetProperty("signInHistory").GetArrayLength().ShouldBe(1);
        part.RecordCount.ShouldBe(2);
        var passwordHash = await identity.QueryAsync(db => db.Users.Where(u => u.Id == learner.SubjectId)
            .Select(u => u.PasswordHash).SingleAsync(TestContext.Current.CancellationToken));
        part.ContentJson.ShouldNotContain(passwordHash!);
        part.ContentJson.ShouldNotContain("passwordHash", Case.Insensitive);
    }

    [Fact]
    public async Task Erasure_deletes_the_account_its_history_and_tokens_and_the_receipt_counts_each()
    {
        var learner = await identity.RegisterAsync();
        var (_, _, browser) = await identity.SignInAsync(learner);
        browser.Dispose();
        var requestId = Guid.NewGuid();

        await PublishAsync(new SubjectErasureRequested(requestId, learner.SubjectId, DateTimeOffset.UtcNow));

        var erased = await identity.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId);
        var lines = erased.Receipt.Lines.ToDictionary(line => line.Category);
        lines.Keys.ShouldBe(["account", "profile", "sign-in-history", "sessions-and-tokens", "sent-event-copies", "dead-letters"], ignoreOrder: true);
        lines.Values.ShouldAllBe(line => line.Action == ErasureAction.Erase);
        lines["account"].Rows.ShouldBe(1);
        lines["sign-in-history"].Rows.ShouldBe(1);
        lines["sessions-and-tokens"].Rows.ShouldBeGreaterThan(0);
        lines["sent-event-copies"].Rows.ShouldBeGreaterThan(0, "LearnerRegistered, with the name and email, was delivered before the erasure");

        var subject = learner.SubjectId.ToString();
        var normalizedEmail = learner.Email.ToUpperInvariant();
        var left = await identity.QueryAsync(async db => new[]
        {
            await db.Users.CountAsync(u => u.Id == learner.SubjectId || u.NormalizedEmail == normalizedEmail),
            await db.SignIns.CountAsync(s => s.AccountId == learner.SubjectId),
            await db.UserRoles.CountAsync(r => r.UserId == learner.SubjectId),
            await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken<Guid>>().CountAsync(t => t.Subject == subject),
            await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreAuthorization<Guid>>().CountAsync(a => a.Subject == subject),
            await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE position({learner.Email} in payload::text) > 0")
                .SingleAsync(TestContext.Current.CancellationToken),
        });
        left.ShouldAllBe(count => count == 0);
    }

    [Fact]
    public async Task Restriction_is_recorded_on_the_account_and_lifting_it_clears_it()
    {
        var learner = await identity.RegisterAsync();
        var restrictId = Guid.NewGuid();

        await PublishAsync(new ProcessingRestrictionRequested(restrictId, learner.SubjectId, DateTimeOffset.UtcNow));
        await identity.WaitForEventAsync<ProcessingRestrictionApplied>(e => e.RequestId == restrictId);
        (await RestrictedAsync(learner.SubjectId)).ShouldBeTrue();

        var liftId = Guid.NewGuid();
        await PublishAsync(new ProcessingRestrictionLiftRequested(liftId, learner.SubjectId, DateTimeOffset.UtcNow));
        await identity.WaitForEventAsync<ProcessingRestrictionLifted>(e => e.RequestId == liftId);
        (await RestrictedAsync(learner.SubjectId)).ShouldBeFalse();
    }

    private Task<bool> RestrictedAsync(Guid subjectId) => identity.QueryAsync(db =>
        db.Users.Where(u => u.Id == subjectId).Select(u => u.ProcessingRestricted).SingleAsync(TestContext.Current.CancellationToken));

    private Task PublishAsync<T>(T request)
        where T : class =>
        identity.Factory.Services.GetRequiredService<IBus>().Publish(request, TestContext.Current.CancellationToken);
}
