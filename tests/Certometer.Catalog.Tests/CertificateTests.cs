using System.Net;
using System.Net.Http.Json;
using Certometer.Contracts.Identity;
using Certometer.Catalog.Certificates;
using Certometer.Catalog.Enrollments;
using Certometer.Contracts.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Tests;

public sealed class CertificateTests(CatalogService catalog)
{
    private static readonly int[] OneAnswer = [1];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Passing_the_exam_issues_exactly_one_certificate_with_the_learners_name_that_anyone_can_check()
    {
        var (subject, name) = await catalog.RegisteredLearnerAsync();
        var (http, enrollment) = await EnrolledAsync(subject, new CourseSpec(CatalogBuilders.NewMarker(), Kind: "Certification"));

        var paper = await (await http.GetAsync($"/api/catalog/me/enrollments/{enrollment.Id}/exam", Cancel)).ReadAsync<ExamPaper>(HttpStatusCode.OK);
        paper.Questions.Count.ShouldBe(3);
        paper.Questions.ShouldAllBe(q => q.Options.Count == 3);
        var passed = await AttemptAsync(http, enrollment.Id, [1, 1, 0]);
        var passedAgain = await AttemptAsync(http, enrollment.Id, CourseSpec.CorrectAnswers);

        passed.ScorePercent.ShouldBe(66);
        passed.Passed.ShouldBeTrue();
        var certificate = passed.Certificate.ShouldNotBeNull();
        certificate.HolderName.ShouldBe(name);
        passedAgain.Certificate.ShouldNotBeNull().Id.ShouldBe(certificate.Id, "a second pass returns the certificate already issued");
        (await catalog.QueryAsync(db => db.Certificates.CountAsync(c => c.SubjectId == subject, Cancel))).ShouldBe(1);
        (await catalog.QueryAsync(db => db.ExamAttempts.CountAsync(a => a.EnrollmentId == enrollment.Id, Cancel))).ShouldBe(2);
        var issued = (await catalog.EventsAsync<CertificateIssued>()).Where(e => e.SubjectId == subject).ShouldHaveSingleItem();
        issued.VerificationCode.ShouldBe(certificate.VerificationCode);

        certificate.VerificationCode.Length.ShouldBe(20);
        certificate.VerificationCode.ShouldMatch("^[A-Za-z0-9_-]{20}$");
        using var anonymous = catalog.Client();
        var check = await (await anonymous.GetAsync($"/api/catalog/certificates/{certificate.VerificationCode}", Cancel))
            .ReadAsync<CertificateCheck>(HttpStatusCode.OK);
        check.ShouldBe(new CertificateCheck(true, enrollment.CourseTitle, check.IssuedAt, name, false));
        var mine = await (await http.GetAsync("/api/catalog/me/certificates", Cancel)).ReadAsync<List<CertificateView>>(HttpStatusCode.OK);
        mine.ShouldHaveSingleItem().Id.ShouldBe(certificate.Id);
        await (await anonymous.GetAsync("/api/catalog/certificates/AAAAAAAAAAAAAAAAAAAA", Cancel)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Failing_the_exam_records_the_attempt_and_issues_no_certificate()
    {
        var (subject, _) = await catalog.RegisteredLearnerAsync();
        var (http, enrollment) = await EnrolledAsync(subject, new CourseSpec(CatalogBuilders.NewMarker(), Kind: "Certification"));

        var failed = await AttemptAsync(http, enrollment.Id, [1, 0, 0]);

        failed.ScorePercent.ShouldBe(33);
        failed.Passed.ShouldBeFalse();
        failed.Certificate.ShouldBeNull();
        (await catalog.QueryAsync(db => db.Certificates.CountAsync(c => c.SubjectId == subject, Cancel))).ShouldBe(0);
        (await catalog.QueryAsync(db => db.ExamAttempts.CountAsync(a => a.EnrollmentId == enrollment.Id, Cancel))).ShouldBe(1);
        (await catalog.EventsAsync<CertificateIssued>()).ShouldNotContain(e => e.SubjectId == subject);
    }

    [Fact]
    public async Task Answers_that_do_not_fit_the_exam_are_a_400_problem_and_record_nothing()
    {
        var (http, enrollment) = await EnrolledAsync(Guid.NewGuid(), new CourseSpec(CatalogBuilders.NewMarker()));

        var tooFew = await (await http.PostAsJsonAsync($"/api/catalog/me/enrollments/{enrollment.Id}/exam/attempts", new { answers = OneAnswer }, Cancel))
            .ProblemAsync(HttpStatusCode.BadRequest);
        var outOfRange = await (await http.PostAsJsonAsync(
            $"/api/catalog/me/enrollments/{enrollment.Id}/exam/attempts", new { answers = new int?[] { 1, 7, null } }, Cancel))
            .ProblemAsync(HttpStatusCode.BadRequest);

        tooFew.ErrorFields().ShouldBe(["answers"]);
        outOfRange.ErrorFields().ShouldBe(["answers[1]", "answers[2]"], ignoreOrder: true);
        (await catalog.QueryAsync(db => db.ExamAttempts.CountAsync(a => a.EnrollmentId == enrollment.Id, Cancel))).ShouldBe(0);
    }

    [Fact]
    public async Task Completing_every_lesson_of_a_course_without_an_exam_issues_its_certificate()
    {
        var (subject, name) = await catalog.RegisteredLearnerAsync();
        var spec = new CourseSpec(CatalogBuilders.NewMarker(), WithExam: false, Lessons: 2);
        var (http, enrollment) = await EnrolledAsync(subject, spec);
        var lessons = await catalog.QueryAsync(db => db.Courses.Where(c => c.Id == enrollment.CourseId).Select(c => c.Syllabus).SingleAsync(Cancel));

        var afterFirst = await (await http.PostAsync($"/api/catalog/me/enrollments/{enrollment.Id}/lessons/{lessons[0].Id}/complete", null, Cancel))
            .ReadAsync<LessonProgress>(HttpStatusCode.OK);
        var afterLast = await (await http.PostAsync($"/api/catalog/me/enrollments/{enrollment.Id}/lessons/{lessons[1].Id}/complete", null, Cancel))
            .ReadAsync<LessonProgress>(HttpStatusCode.OK);

        afterFirst.Certificate.ShouldBeNull();
        afterFirst.CompletedLessonIds.ShouldBe([lessons[0].Id]);
        afterLast.Certificate.ShouldNotBeNull().HolderName.ShouldBe(name);
        await (await http.PostAsync($"/api/catalog/me/enrollments/{enrollment.Id}/lessons/{Guid.NewGuid()}/complete", null, Cancel))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await http.GetAsync($"/api/catalog/me/enrollments/{enrollment.Id}/exam", Cancel)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_rectified_name_is_printed_on_the_next_certificate_only()
    {
        var (subject, oldName) = await catalog.RegisteredLearnerAsync();
        var (http, first) = await EnrolledAsync(subject, new CourseSpec(CatalogBuilders.NewMarker()));
        var before = (await AttemptAsync(http, first.Id, CourseSpec.CorrectAnswers)).Certificate!;

        var newName = $"Renamed {CatalogBuilders.NewMarker()}";
        await catalog.DeliverAsync(new SubjectDataRectified(
            subject, new Dictionary<string, string?> { ["name"] = newName, ["email"] = "new@example.test" }, DateTimeOffset.UtcNow));
        var (_, second) = await EnrolledAsync(subject, new CourseSpec(CatalogBuilders.NewMarker()));
        var after = (await AttemptAsync(http, second.Id, CourseSpec.CorrectAnswers)).Certificate!;

        after.HolderName.ShouldBe(newName);
        using var anonymous = catalog.Client();
        var earlier = await (await anonymous.GetAsync($"/api/catalog/certificates/{before.VerificationCode}", Cancel)).ReadAsync<CertificateCheck>(HttpStatusCode.OK);
        earlier.HolderName.ShouldBe(oldName, "a certificate already handed out keeps the name printed on it");
    }

    private async Task<(HttpClient Http, EnrollmentView Enrollment)> EnrolledAsync(Guid subject, CourseSpec spec)
    {
        var course = await catalog.PublishedCourseAsync(spec);
        var http = catalog.Client(subject);
        var enrollment = await (await http.PostAsync($"/api/catalog/courses/{course.Id}/enrollments", null, Cancel)).ReadAsync<EnrollmentView>(HttpStatusCode.Created);
        return (http, enrollment);
    }

    private static async Task<ExamResult> AttemptAsync(HttpClient http, Guid enrollmentId, int[] answers) =>
        await (await http.PostAsJsonAsync($"/api/catalog/me/enrollments/{enrollmentId}/exam/attempts", new { answers }, Cancel))
            .ReadAsync<ExamResult>(HttpStatusCode.OK);
}
