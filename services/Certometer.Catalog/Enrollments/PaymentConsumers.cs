using Certometer.Catalog.Data;
using Certometer.Contracts.Billing;
using Certometer.Contracts.Catalog;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Enrollments;

/// <summary>Enrolls the learner who paid, once per order, however often and however concurrently Billing's event arrives.</summary>
/// <remarks>
/// The inbox stops a redelivery of the same message; the unique index on the order id stops a second message about the
/// same order (its insert fails, the retry finds the enrollment and does nothing).
/// </remarks>
internal sealed class PaymentSucceededConsumer(CatalogDbContext db, TimeProvider clock)
    : IdempotentConsumer<PaymentSucceeded, CatalogDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PaymentSucceeded> context, CancellationToken cancellationToken)
    {
        var payment = context.Message;
        if (await Db.Enrollments.AnyAsync(e => e.OrderId == payment.OrderId, cancellationToken))
        {
            return;
        }

        // Any status: a course retired after the order was taken is still owed to the learner who paid for it.
        var title = await Db.Courses.Where(c => c.Id == payment.CourseId).Select(c => c.Title).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"A payment names course {payment.CourseId}, which Catalog has never had.");

        // Already studying this course (a free enrollment, or an earlier order): the live enrollment stands and no second one
        // is made. Billing owns whether the extra order should be refunded.
        if (await Db.Enrollments.AnyAsync(
            e => e.SubjectId == payment.SubjectId && e.CourseId == payment.CourseId && e.Status == EnrollmentStatus.Active, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var enrollment = new Enrollment
        {
            Id = Guid.CreateVersion7(now),
            SubjectId = payment.SubjectId,
            CourseId = payment.CourseId,
            OrderId = payment.OrderId,
            Status = EnrollmentStatus.Active,
            EnrolledAt = now,
        };
        Db.Enrollments.Add(enrollment);
        Db.AddIntegrationEvent(new EnrollmentCreated(enrollment.Id, payment.SubjectId, payment.CourseId, title, payment.OrderId, now), clock);
    }
}

/// <summary>Ends the enrollment a refunded order paid for.</summary>
/// <remarks>
/// The enrollment is marked Refunded rather than deleted: its progress, exam results and any certificate already earned
/// stay on the learner's record (and in their export) until they ask for erasure; only further study stops.
/// </remarks>
internal sealed class PaymentRefundedConsumer(CatalogDbContext db, TimeProvider clock)
    : IdempotentConsumer<PaymentRefunded, CatalogDbContext>(db)
{
    protected override async Task HandleOnceAsync(ConsumeContext<PaymentRefunded> context, CancellationToken cancellationToken)
    {
        var enrollment = await Db.Enrollments.SingleOrDefaultAsync(e => e.OrderId == context.Message.OrderId, cancellationToken);
        if (enrollment is { Status: EnrollmentStatus.Active })
        {
            enrollment.Status = EnrollmentStatus.Refunded;
            enrollment.EndedAt = clock.GetUtcNow();
        }
    }
}
