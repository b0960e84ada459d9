using System.Net;
using Certometer.Catalog.Courses;
using Certometer.Catalog.Http;

namespace Certometer.Catalog.Tests;

public sealed class BrowsingTests(CatalogService catalog)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anonymous_visitors_find_only_published_courses_by_search_and_filters()
    {
        var marker = CatalogBuilders.NewMarker();
        var freeBeginner = await catalog.PublishedCourseAsync(new CourseSpec(marker, TitleSuffix: " Alpha"));
        var paidCertification = await catalog.PublishedCourseAsync(
            new CourseSpec(marker, Kind: "Certification", PriceMinor: 9900, Level: "Advanced", Language: "de-CH", TitleSuffix: " Beta"));
        var cheapCourse = await catalog.PublishedCourseAsync(new CourseSpec(marker, PriceMinor: 1500, TitleSuffix: " Gamma"));
        await catalog.CreateCourseAsync(new CourseSpec(marker, TitleSuffix: " Draft"));
        using var http = catalog.Client();

        async Task<IEnumerable<Guid>> Find(string query) =>
            (await (await http.GetAsync($"/api/catalog/courses?{query}", Cancel)).ReadAsync<CoursePage>(HttpStatusCode.OK)).Items.Select(c => c.Id);

        // Case-insensitive, in title or description; the draft never shows.
        (await Find($"search={marker.ToUpperInvariant()}")).ShouldBe([freeBeginner.Id, paidCertification.Id, cheapCourse.Id], ignoreOrder: true);
        (await Find($"search={marker}&price=free")).ShouldBe([freeBeginner.Id]);
        (await Find($"search={marker}&price=paid&maxPrice=2000")).ShouldBe([cheapCourse.Id]);
        (await Find($"search={marker}&kind=Certification")).ShouldBe([paidCertification.Id]);
        (await Find($"search={marker}&level=Advanced")).ShouldBe([paidCertification.Id]);
        (await Find($"search={marker}&language=de")).ShouldBe([paidCertification.Id]);
        (await Find($"search={marker}&sort=-price")).ShouldBe([paidCertification.Id, cheapCourse.Id, freeBeginner.Id]);
        (await Find("search=%25%25%25nothing-matches")).ShouldBeEmpty("% in the term is a literal, not a wildcard");
    }

    [Fact]
    public async Task Pages_are_bounded_and_walk_the_results_without_repeats()
    {
        var marker = CatalogBuilders.NewMarker();
        foreach (var suffix in new[] { " A", " B", " C" })
        {
            await catalog.PublishedCourseAsync(new CourseSpec(marker, TitleSuffix: suffix));
        }

        using var http = catalog.Client();
        var first = await (await http.GetAsync($"/api/catalog/courses?search={marker}&pageSize=2", Cancel)).ReadAsync<CoursePage>(HttpStatusCode.OK);
        var second = await (await http.GetAsync($"/api/catalog/courses?search={marker}&pageSize=2&page=2", Cancel)).ReadAsync<CoursePage>(HttpStatusCode.OK);
        first.TotalCount.ShouldBe(3);
        first.Items.Count.ShouldBe(2);
        second.Items.Count.ShouldBe(1);
        first.Items.Concat(second.Items).Select(c => c.Title).ShouldBe([$"Course {marker} A", $"Course {marker} B", $"Course {marker} C"]);

        var defaults = await (await http.GetAsync("/api/catalog/courses", Cancel)).ReadAsync<CoursePage>(HttpStatusCode.OK);
        defaults.PageSize.ShouldBe(20);

        var tooBig = await (await http.GetAsync("/api/catalog/courses?pageSize=101", Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        tooBig.ErrorFields().ShouldBe(["pageSize"]);
        var zero = await (await http.GetAsync("/api/catalog/courses?page=0&sort=cheapest&kind=Webinar", Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        zero.ErrorFields().ShouldBe(["page", "sort", "kind"], ignoreOrder: true);
        await (await http.GetAsync("/api/catalog/courses?maxPrice=lots", Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        // An offset past what the database takes was a 500 (the page times its size overflowed).
        var beyond = await (await http.GetAsync($"/api/catalog/courses?page={int.MaxValue}&pageSize=100", Cancel)).ProblemAsync(HttpStatusCode.BadRequest);
        beyond.ErrorFields().ShouldBe(["page"]);
        (await (await http.GetAsync($"/api/catalog/courses?page={Paging.MaxPage}&pageSize=100", Cancel)).ReadAsync<CoursePage>(HttpStatusCode.OK))
            .Items.ShouldBeEmpty("the last page there can be is empty, not an error");
    }

    [Fact]
    public async Task An_unchanged_list_or_course_answers_304_to_its_ETag_and_a_change_gives_a_new_tag()
    {
        var spec = new CourseSpec(CatalogBuilders.NewMarker());
        var course = await catalog.PublishedCourseAsync(spec);
        using var http = catalog.Client();

        foreach (var path in new[] { $"/api/catalog/courses?search={spec.Marker}", $"/api/catalog/courses/{spec.Slug}" })
        {
            using var first = await http.GetAsync(path, Cancel);
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
            var tag = first.Headers.ETag.ShouldNotBeNull();
            tag.IsWeak.ShouldBeFalse();
            first.Headers.CacheControl.ShouldNotBeNull().Public.ShouldBeTrue();
            first.Headers.CacheControl!.MaxAge.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));

            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(tag);
            using var revalidated = await http.SendAsync(again, Cancel);
            revalidated.StatusCode.ShouldBe(HttpStatusCode.NotModified);
            (await revalidated.Content.ReadAsByteArrayAsync(Cancel)).ShouldBeEmpty();
        }

        using var before = await http.GetAsync($"/api/catalog/courses/{course.Id}", Cancel);
        using (var operatorHttp = catalog.Operator())
        {
            await (await operatorHttp.PutAsync(
                $"/api/catalog/admin/courses/{course.Id}",
                System.Net.Http.Json.JsonContent.Create((spec with { PriceMinor = 700 }).ToRequest(course.Version)),
                Cancel)).ReadAsync<ManagedCourse>(HttpStatusCode.OK);
        }

        using var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/courses/{course.Id}");
        changed.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        using var after = await http.SendAsync(changed, Cancel);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.Headers.ETag.ShouldNotBe(before.Headers.ETag);
    }

    [Fact]
    public async Task A_course_page_shows_the_syllabus_but_never_the_exam_questions_or_answers()
    {
        var spec = new CourseSpec(CatalogBuilders.NewMarker(), Lessons: 3);
        var course = await catalog.PublishedCourseAsync(spec);
        using var http = catalog.Client();

        using var response = await http.GetAsync($"/api/catalog/courses/{course.Id}", Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        var details = await response.ReadAsync<CourseDetails>(HttpStatusCode.OK);

        details.Syllabus.Select(l => l.Title).ShouldBe(["Lesson 1", "Lesson 2", "Lesson 3"]);
        details.Exam.ShouldBe(new ExamOutline(3, 60));
        body.ShouldNotContain("Secret question");
        body.ShouldNotContain("right answer");
        body.ShouldNotContain("correct", Case.Insensitive);
    }

    [Fact]
    public async Task Drafts_and_unknown_courses_are_not_found_by_visitors()
    {
        var draft = await catalog.CreateCourseAsync(new CourseSpec(CatalogBuilders.NewMarker()));
        using var http = catalog.Client();

        await (await http.GetAsync($"/api/catalog/courses/{draft.Id}", Cancel)).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.GetAsync($"/api/catalog/courses/{draft.Slug}", Cancel)).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.GetAsync("/api/catalog/courses/no-such-course", Cancel)).ProblemAsync(HttpStatusCode.NotFound);
    }
}
