using System.Net;
using System.Net.Http.Json;
using Certometer.Catalog.Enrollments;
using Certometer.Contracts.Billing;
using Certometer.Contracts.Catalog;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.Catalog.Tests;

public sealed class EnrollmentTests(CatalogService catalog)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_payment_delivered_three_times_at_once_creates_one_enrollment_and_one_event()
    {
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker(), PriceMinor: 4900));
        var subject = Guid.NewGuid();
        var payment = new PaymentSucceeded(Guid.NewGuid(), subject, course.Id, 4900, "EUR", DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();
        var bus = catalog.Factory.Services.GetRequiredService<IBus>();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => bus.Publish(payment, context => context.MessageId = messageId, Cancel)));
        await catalog.Consumed.WaitAsync(messageId, 3, Cancel);

        var enrollments = await catalog.QueryAsync(db => db.Enrollments.Where(e => e.OrderId == payment.OrderId).ToListAsync(Cancel));
        var enrollment = enrollments.ShouldHaveSingleItem();
        enrollment.SubjectId.ShouldBe(subject);
        enrollment.Status.ShouldBe(EnrollmentStatus.Active);
        var created = (await catalog.EventsAsync<EnrollmentCreated>()).Where(e => e.OrderId == payment.OrderId).ShouldHaveSingleItem();
        created.EnrollmentId.ShouldBe(enrollment.Id);
        created.CourseTitle.ShouldBe(course.Title);
    }

    [Fact]
    public async Task A_second_message_about_the_same_order_does_not_enroll_twice()
    {
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker(), PriceMinor: 4900));
        var payment = new PaymentSucceeded(Guid.NewGuid(), Guid.NewGuid(), course.Id, 4900, "EUR", DateTimeOffset.UtcNow);

        await catalog.DeliverAsync(payment);
        await catalog.DeliverAsync(payment);

        (await catalog.QueryAsync(db => db.Enrollments.CountAsync(e => e.OrderId == payment.OrderId, Cancel))).ShouldBe(1);
    }

    [Fact]
    public async Task A_learner_enrolls_in_a_free_course_directly_and_enrolling_again_returns_the_same_enrollment()
    {
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker()));
        var subject = Guid.NewGuid();
        using var http = catalog.Client(subject);

        var first = await (await http.PostAsync($"/api/catalog/courses/{course.Id}/enrollments", null, Cancel)).ReadAsync<EnrollmentView>(HttpStatusCode.Created);
        var again = await (await http.PostAsync($"/api/catalog/courses/{course.Id}/enrollments", null, Cancel)).ReadAsync<EnrollmentView>(HttpStatusCode.OK);

        again.Id.ShouldBe(first.Id);
        first.OrderId.ShouldBeNull();
        var mine = await (await http.GetAsync("/api/catalog/me/enrollments", Cancel)).ReadAsync<List<EnrollmentView>>(HttpStatusCode.OK);
        mine.ShouldHaveSingleItem().Id.ShouldBe(first.Id);
        (await catalog.EventsAsync<EnrollmentCreated>()).Where(e => e.EnrollmentId == first.Id).ShouldHaveSingleItem().SubjectId.ShouldBe(subject);
    }

    [Fact]
    public async Task A_paid_course_cannot_be_enrolled_in_without_buying_it()
    {
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker(), PriceMinor: 1999));
        var subject = Guid.NewGuid();
        using var http = catalog.Client(subject);

        var problem = await (await http.PostAsync($"/api/catalog/courses/{course.Id}/enrollments", null, Cancel)).ProblemAsync(HttpStatusCode.PaymentRequired);

        problem["detail"]!.GetValue<string>().ShouldContain("Buy it");
        (await catalog.QueryAsync(db => db.Enrollments.CountAsync(e => e.SubjectId == subject, Cancel))).ShouldBe(0);
    }

    [Fact]
    public async Task A_refund_ends_the_enrollment_it_paid_for_and_study_stops()
    {
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker(), PriceMinor: 4900));
        var subject = Guid.NewGuid();
        var orderId = Guid.NewGuid();
        await catalog.DeliverAsync(new PaymentSucceeded(orderId, subject, course.Id, 4900, "EUR", DateTimeOffset.UtcNow));

        await catalog.DeliverAsync(new PaymentRefunded(orderId, subject, course.Id, 4900, "EUR", DateTimeOffset.UtcNow));

        using var http = catalog.Client(subject);
        var enrollment = (await (await http.GetAsync("/api/catalog/me/enrollments", Cancel)).ReadAsync<List<EnrollmentView>>(HttpStatusCode.OK))
            .ShouldHaveSingleItem();
        enrollment.Status.ShouldBe(EnrollmentStatus.Refunded);
        enrollment.EndedAt.ShouldNotBeNull();
        using var complete = await http.PostAsync(
            $"/api/catalog/me/enrollments/{enrollment.Id}/lessons/{course.Lessons[0].Id}/complete", null, Cancel);
        await complete.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Another_learners_enrollment_answers_404_everywhere_and_never_shows_in_ones_own_lists()
    {
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker()));
        using var learnerA = catalog.Client(Guid.NewGuid());
        using var learnerB = catalog.Client(Guid.NewGuid());
        var enrollmentOfA = await (await learnerA.PostAsync($"/api/catalog/courses/{course.Id}/enrollments", null, Cancel))
            .ReadAsync<EnrollmentView>(HttpStatusCode.Created);
        var lesson = course.Lessons[0].Id;
        var notMine = $"/api/catalog/me/enrollments/{enrollmentOfA.Id}";
        var unknown = $"/api/catalog/me/enrollments/{Guid.NewGuid()}";

        foreach (var path in new[] { notMine, unknown })
        {
            var problem = await (await learnerB.GetAsync(path, Cancel)).ProblemAsync(HttpStatusCode.NotFound);
            problem["title"]!.GetValue<string>().ShouldBe("You have no enrollment with this id.", "a stranger's enrollment reads exactly like a missing one");
            await (await learnerB.GetAsync($"{path}/exam", Cancel)).ProblemAsync(HttpStatusCode.NotFound);
            await (await learnerB.PostAsync($"{path}/lessons/{lesson}/complete", null, Cancel)).ProblemAsync(HttpStatusCode.NotFound);
            await (await learnerB.PostAsJsonAsync($"{path}/exam/attempts", new { answers = CourseSpec.CorrectAnswers }, Cancel))
                .ProblemAsync(HttpStatusCode.NotFound);
        }

        (await (await learnerB.GetAsync("/api/catalog/me/enrollments", Cancel)).ReadAsync<List<EnrollmentView>>(HttpStatusCode.OK)).ShouldBeEmpty();
        (await catalog.QueryAsync(db => db.LessonCompletions.CountAsync(c => c.EnrollmentId == enrollmentOfA.Id, Cancel))).ShouldBe(0);
        (await catalog.QueryAsync(db => db.ExamAttempts.CountAsync(a => a.EnrollmentId == enrollmentOfA.Id, Cancel))).ShouldBe(0);
    }

    [Fact]
    public async Task Malformed_ids_and_bodies_are_400_problems_never_500()
    {
        using var http = catalog.Client(Guid.NewGuid());

        await (await http.GetAsync("/api/catalog/me/enrollments/not-a-guid", Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PostAsync("/api/catalog/courses/not-a-guid/enrollments", null, Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        using var broken = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        await (await http.PostAsync($"/api/catalog/me/enrollments/{Guid.NewGuid()}/exam/attempts", broken, Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        using var operatorHttp = catalog.Operator();
        using var brokenCourse = new StringContent("[1,2", System.Text.Encoding.UTF8, "application/json");
        await (await operatorHttp.PostAsync("/api/catalog/admin/courses", brokenCourse, Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await operatorHttp.PostAsJsonAsync("/api/catalog/admin/courses", new { }, Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
