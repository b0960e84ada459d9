using Certometer.Catalog.Data;
using Certometer.Contracts.Identity;
using Certometer.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Learners;

/// <summary>Keeps the learner's name, the one profile field Catalog needs: it is printed on their certificates.</summary>
internal sealed class LearnerRegisteredConsumer(CatalogDbContext db, TimeProvider clock)
    : IdempotentConsumer<LearnerRegistered, CatalogDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<LearnerRegistered> context, CancellationToken cancellationToken)
    {
        var registered = context.Message;
        var learner = await Db.Learners.SingleOrDefaultAsync(l => l.SubjectId == registered.SubjectId, cancellationToken);
        if (learner is null)
        {
            Db.Learners.Add(new Learner { SubjectId = registered.SubjectId, Name = Truncate(registered.Name), UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            // A rectification may have overtaken the registration on the broker; the newer name wins.
            learner.Name ??= Truncate(registered.Name);
        }
    }

    internal static string? Truncate(string? name) => name is { Length: > Learner.NameMaxLength } ? name[..Learner.NameMaxLength] : name;
}
