using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;

namespace Certometer.Notifications.Tests;

/// <summary>A registered learner as Notifications learns of them: through Identity's events.</summary>
public sealed record Person(Guid SubjectId, string Name, string Email);

internal static class People
{
    public static async Task<Person> RegisterAsync(this NotificationsService service, bool marketing, string? email = null, string? language = null, string? name = null)
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var person = new Person(Guid.NewGuid(), name ?? $"Person {marker}", email ?? $"person.{marker}@example.test");
        var now = DateTimeOffset.UtcNow;
        await service.PublishAsync(new LearnerRegistered(person.SubjectId, person.Name, person.Email, language, now));
        // What the consent ledger answers to the registration's choices.
        await service.PublishAsync(new ConsentsInForce(person.SubjectId, marketing, Analytics: false, Sequence: 1, now));
        // The welcome email is the sign that Notifications knows them.
        await NotificationsService.EventuallyAsync(() => Task.FromResult(service.Mailbox.To(person.Email).Count > 0), $"a welcome for {person.Email}");
        await NotificationsService.EventuallyAsync(
            async () => await service.QueryAsync(db => Task.FromResult(db.SubjectSettings.Any(s => s.SubjectId == person.SubjectId))),
            "the consent choice recorded");
        return person;
    }
}
