using Certometer.TestInfrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certometer.Catalog.Certificates;
using Certometer.Catalog.Enrollments;
using Certometer.Contracts.Billing;
using Certometer.Contracts.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Tests;

public sealed class PrivacyTests(CatalogService catalog)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Erasure_removes_every_trace_of_the_learner_counts_it_and_the_certificate_check_withholds_the_name()
    {
        var (subject, name) = await catalog.RegisteredLearnerAsync();
        var (certificate, enrollment) = await CertifiedAsync(subject);
        var paidCourse = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker(), PriceMinor: 2500));
        await catalog.DeliverAsync(new PaymentSucceeded(Guid.NewGuid(), subject, paidCourse.Id, 2500, "EUR", DateTimeOffset.UtcNow));
        // Events already published are the only place the subject id could be left behind; wait until they have gone out.
        await Eventually.HoldsAsync(
            async () => await UnsentEventsNamingAsync(subject) == 0, "Catalog's outbox published the learner's events", CatalogService.CatalogTimeout, Cancel);
        var requestId = Guid.NewGuid();

        await catalog.DeliverAsync(new SubjectErasureRequested(requestId, subject, DateTimeOffset.UtcNow));

        var receipt = (await catalog.WaitForEventAsync<SubjectErased>(e => e.RequestId == requestId)).Receipt;
        var lines = receipt.Lines.ToDictionary(line => line.Category, line => line.Rows);
        lines.ShouldBe(new Dictionary<string, int>
        {
            ["enrollments"] = 2,
            ["learning-progress"] = 1,
            ["certificates"] = 1,
            ["learner-name"] = 1,
            // EnrollmentCreated twice and CertificateIssued once, each naming the subject.
            ["sent-event-copies"] = 3,
            ["dead-letters"] = 0,
        });
        receipt.Lines.ShouldAllBe(line => line.Action == ErasureAction.Erase);

        using var anonymous = catalog.Client();
        var check = await (await anonymous.GetAsync($"/api/catalog/certificates/{certificate.VerificationCode}", Cancel))
            .ReadAsync<CertificateCheck>(HttpStatusCode.OK);
        check.HolderName.ShouldBeNull();
        check.HolderNameWithheld.ShouldBeTrue();
        check.CourseTitle.ShouldBe(enrollment.CourseTitle);
        (await (await anonymous.GetAsync($"/api/catalog/certificates/{certificate.VerificationCode}", Cancel)).Content.ReadAsStringAsync(Cancel))
            .ShouldNotContain(name);

        (await CellsContainingAsync(subject.ToString())).ShouldBeEmpty();
        (await CellsContainingAsync(name)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Export_holds_the_name_copy_enrollments_progress_results_and_certificates()
    {
        var (subject, name) = await catalog.RegisteredLearnerAsync();
        var (certificate, enrollment) = await CertifiedAsync(subject);
        var requestId = Guid.NewGuid();

        await catalog.DeliverAsync(new SubjectDataExportRequested(requestId, subject, DateTimeOffset.UtcNow));

        var part = await catalog.WaitForEventAsync<SubjectDataExported>(e => e.RequestId == requestId);
        part.Service.ShouldBe("catalog");
        using var content = JsonDocument.Parse(part.ContentJson);
        var root = content.RootElement;
        root.GetProperty("learner").GetProperty("name").GetString().ShouldBe(name);
        var exported = root.GetProperty("enrollments").EnumerateArray().ShouldHaveSingleItem();
        exported.GetProperty("id").GetGuid().ShouldBe(enrollment.Id);
        exported.GetProperty("completedLessons").GetArrayLength().ShouldBe(0);
        exported.GetProperty("examAttempts").EnumerateArray().ShouldHaveSingleItem().GetProperty("passed").GetBoolean().ShouldBeTrue();
        root.GetProperty("certificates").EnumerateArray().ShouldHaveSingleItem().GetProperty("verificationCode").GetString()
            .ShouldBe(certificate.VerificationCode);
        part.RecordCount.ShouldBe(4);
    }

    [Fact]
    public async Task Restriction_is_recorded_and_exported_and_lifting_it_clears_it()
    {
        var (subject, _) = await catalog.RegisteredLearnerAsync();

        await catalog.DeliverAsync(new ProcessingRestrictionRequested(Guid.NewGuid(), subject, DateTimeOffset.UtcNow));
        (await RestrictedAsync(subject)).ShouldBeTrue();
        var exportId = Guid.NewGuid();
        await catalog.DeliverAsync(new SubjectDataExportRequested(exportId, subject, DateTimeOffset.UtcNow));
        var part = await catalog.WaitForEventAsync<SubjectDataExported>(e => e.RequestId == exportId);
        using (var content = JsonDocument.Parse(part.ContentJson))
        {
            content.RootElement.GetProperty("learner").GetProperty("processingRestricted").GetBoolean().ShouldBeTrue();
        }

        var liftId = Guid.NewGuid();
        await catalog.DeliverAsync(new ProcessingRestrictionLiftRequested(liftId, subject, DateTimeOffset.UtcNow));
        await catalog.WaitForEventAsync<ProcessingRestrictionLifted>(e => e.RequestId == liftId);
        (await RestrictedAsync(subject)).ShouldBeFalse();
    }

    private Task<bool> RestrictedAsync(Guid subject) =>
        catalog.QueryAsync(db => db.Learners.Where(l => l.SubjectId == subject).Select(l => l.ProcessingRestricted).SingleAsync(Cancel));

    /// <summary>A free certification passed by <paramref name="subject"/>: one enrollment, one exam attempt, one certificate.</summary>
    private async Task<(CertificateView Certificate, EnrollmentView Enrollment)> CertifiedAsync(Guid subject)
    {
        var course = await catalog.PublishedCourseAsync(new CourseSpec(CatalogBuilders.NewMarker(), Kind: "Certification"));
        using var http = catalog.Client(subject);
        var enrollment = await (await http.PostAsync($"/api/catalog/courses/{course.Id}/enrollments", null, Cancel))
            .ReadAsync<EnrollmentView>(HttpStatusCode.Created);
        var result = await (await http.PostAsJsonAsync(
            $"/api/catalog/me/enrollments/{enrollment.Id}/exam/attempts", new { answers = CourseSpec.CorrectAnswers }, Cancel))
            .ReadAsync<ExamResult>(HttpStatusCode.OK);
        return (result.Certificate.ShouldNotBeNull(), enrollment);
    }

    private Task<int> UnsentEventsNamingAsync(Guid subject) => catalog.QueryAsync(db => db.Database
        .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE sent_at IS NULL AND position({subject.ToString()} in payload::text) > 0")
        .SingleAsync(Cancel));

    /// <summary>
    /// Every <c>table.column</c> of Catalog's database with a cell containing <paramref name="value"/>. Nothing is
    /// excluded: the outbox's payloads are scanned too, because sent events name the subject until erasure deletes them.
    /// </summary>
    private async Task<IReadOnlyList<string>> CellsContainingAsync(string value)
    {
        var connectionString = await catalog.QueryAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        var scan = await DatabaseScan.ReadAsync(connectionString, Cancel);
        scan.Columns.ShouldContain(column => column.StartsWith("certificates.", StringComparison.Ordinal), "the scan must see the tables it is meant to prove clean");
        return scan.ColumnsContaining(value, StringComparison.Ordinal);
    }
}
