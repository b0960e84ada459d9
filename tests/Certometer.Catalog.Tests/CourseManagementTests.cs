using System.Net;
using System.Net.Http.Json;
using Certometer.Catalog.Courses;
using Certometer.Contracts.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Certometer.Catalog.Tests;

public sealed class CourseManagementTests(CatalogService catalog)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publishing_and_repricing_a_course_offers_it_each_time_with_a_higher_version_and_retiring_withdraws_it()
    {
        var spec = new CourseSpec(CatalogBuilders.NewMarker(), PriceMinor: 4900);
        var draft = await catalog.CreateCourseAsync(spec);
        (await catalog.EventsAsync<CourseOffered>()).ShouldNotContain(e => e.CourseId == draft.Id, "a draft is not on sale");

        using var http = catalog.Operator();
        var published = await (await http.PostAsync($"/api/catalog/admin/courses/{draft.Id}/publish", null, Cancel))
            .ReadAsync<ManagedCourse>(HttpStatusCode.OK);
        published.Status.ShouldBe(CourseStatus.Published);
        var repriced = await (await http.PutAsJsonAsync(
            $"/api/catalog/admin/courses/{published.Id}", (spec with { PriceMinor = 5900 }).ToRequest(published.Version), Cancel))
            .ReadAsync<ManagedCourse>(HttpStatusCode.OK);
        // A change that does not touch the offer (the description) is saved without offering the course again.
        await (await http.PutAsJsonAsync(
            $"/api/catalog/admin/courses/{published.Id}",
            (spec with { PriceMinor = 5900, Description = "Reworded." }).ToRequest(repriced.Version), Cancel))
            .ReadAsync<ManagedCourse>(HttpStatusCode.OK);
        await (await http.PostAsync($"/api/catalog/admin/courses/{published.Id}/retire", null, Cancel)).ReadAsync<ManagedCourse>(HttpStatusCode.OK);

        var offers = (await catalog.EventsAsync<CourseOffered>()).Where(e => e.CourseId == published.Id).ToList();
        offers.Select(o => o.PriceMinor).ShouldBe([4900, 5900]);
        offers[1].Version.ShouldBeGreaterThan(offers[0].Version);
        offers.ShouldAllBe(o => o.Title == spec.Title && o.Slug == spec.Slug && o.Currency == "EUR");
        var retired = (await catalog.EventsAsync<CourseRetired>()).Where(e => e.CourseId == published.Id).ShouldHaveSingleItem();
        retired.Version.ShouldBeGreaterThan(offers[1].Version);
    }

    [Fact]
    public async Task An_invalid_course_is_refused_with_a_problem_naming_each_bad_field_and_nothing_is_stored()
    {
        var marker = CatalogBuilders.NewMarker();
        var request = new CourseSpec(marker, Kind: "Certification", WithExam: false, Currency: "euro", Language: "english!").ToRequest();
        request["slug"] = "Not A Slug";
        request["level"] = "Expert";
        request["priceMinor"] = -1;
        request["lessons"]![0]!["title"] = "";

        using var http = catalog.Operator();
        var problem = await (await http.PostAsJsonAsync("/api/catalog/admin/courses", request, Cancel)).ProblemAsync(HttpStatusCode.BadRequest);

        problem.ErrorFields().ShouldBe(
            ["slug", "level", "priceMinor", "currency", "language", "lessons[0].title", "exam"], ignoreOrder: true);
        (await catalog.QueryAsync(db => db.Courses.CountAsync(c => c.Title.Contains(marker), Cancel))).ShouldBe(0);
    }

    [Fact]
    public async Task An_exam_question_needs_two_to_six_options_and_one_correct_option_among_them()
    {
        var request = new CourseSpec(CatalogBuilders.NewMarker()).ToRequest();
        request["exam"]!["questions"]![0]!["options"] = new System.Text.Json.Nodes.JsonArray("only one");
        request["exam"]!["questions"]![1]!["correctOption"] = 3;
        request["exam"]!["passMarkPercent"] = 101;

        using var http = catalog.Operator();
        var problem = await (await http.PostAsJsonAsync("/api/catalog/admin/courses", request, Cancel)).ProblemAsync(HttpStatusCode.BadRequest);

        problem.ErrorFields().ShouldBe(
            ["exam.questions[0].options", "exam.questions[1].correctOption", "exam.passMarkPercent"], ignoreOrder: true);
    }

    [Fact]
    public async Task An_edit_based_on_a_stale_version_is_refused_with_409_and_changes_nothing()
    {
        var spec = new CourseSpec(CatalogBuilders.NewMarker());
        var course = await catalog.CreateCourseAsync(spec);
        using var http = catalog.Operator();
        await (await http.PutAsJsonAsync($"/api/catalog/admin/courses/{course.Id}", (spec with { PriceMinor = 100 }).ToRequest(course.Version), Cancel))
            .ReadAsync<ManagedCourse>(HttpStatusCode.OK);

        using var stale = await http.PutAsJsonAsync(
            $"/api/catalog/admin/courses/{course.Id}", (spec with { PriceMinor = 200 }).ToRequest(course.Version), Cancel);

        await stale.ProblemAsync(HttpStatusCode.Conflict);
        (await catalog.QueryAsync(db => db.Courses.Where(c => c.Id == course.Id).Select(c => c.PriceMinor).SingleAsync(Cancel))).ShouldBe(100);
    }

    [Fact]
    public async Task A_second_course_with_a_slug_already_in_use_is_refused_with_409()
    {
        var spec = new CourseSpec(CatalogBuilders.NewMarker());
        await catalog.CreateCourseAsync(spec);

        using var http = catalog.Operator();
        using var response = await http.PostAsJsonAsync("/api/catalog/admin/courses", spec.ToRequest(), Cancel);

        await response.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Operators_list_drafts_too_and_learners_may_not_manage_the_catalogue()
    {
        var draft = await catalog.CreateCourseAsync(new CourseSpec(CatalogBuilders.NewMarker()));
        using var operatorHttp = catalog.Operator();
        var drafts = await (await operatorHttp.GetAsync("/api/catalog/admin/courses?status=Draft&pageSize=100", Cancel))
            .ReadAsync<ManagedCoursePage>(HttpStatusCode.OK);
        drafts.Items.ShouldContain(c => c.Id == draft.Id);

        using var learner = catalog.Client(Guid.NewGuid());
        (await learner.GetAsync("/api/catalog/admin/courses", Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await learner.PostAsJsonAsync("/api/catalog/admin/courses", new CourseSpec(CatalogBuilders.NewMarker()).ToRequest(), Cancel))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var anonymous = catalog.Client();
        (await anonymous.PostAsync($"/api/catalog/admin/courses/{draft.Id}/publish", null, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
