using Certometer.Catalog.Courses;

namespace Certometer.Catalog.UnitTests;

public sealed class CourseRulesTests
{
    [Fact]
    public void A_complete_course_and_a_certification_with_an_exam_are_fit_to_store()
    {
        CourseRules.Validate(CourseRequests.Course(), editing: false).ShouldBeEmpty();
        CourseRules.Validate(CourseRequests.Certification(), editing: false).ShouldBeEmpty();
    }

    [Fact]
    public void A_certification_without_an_exam_is_refused_but_a_course_may_have_none()
    {
        CourseRules.Validate(CourseRequests.Certification() with { Exam = null }, editing: false).Keys.ShouldBe(["exam"]);
        CourseRules.Validate(CourseRequests.Course() with { Exam = null }, editing: false).ShouldBeEmpty();
    }

    [Fact]
    public void An_edit_must_say_which_version_it_was_based_on()
    {
        CourseRules.Validate(CourseRequests.Course(), editing: true).Keys.ShouldBe(["version"]);
        CourseRules.Validate(CourseRequests.Course() with { Version = 7 }, editing: true).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("intro-to-sql", true)]
    [InlineData("sql101", true)]
    [InlineData("Intro-to-sql", false)]
    [InlineData("intro--sql", false)]
    [InlineData("-intro", false)]
    [InlineData("intro-", false)]
    [InlineData("intro to sql", false)]
    [InlineData("", false)]
    public void A_slug_is_lower_case_letters_and_digits_joined_by_single_hyphens(string slug, bool valid)
    {
        CourseRules.Validate(CourseRequests.Course() with { Slug = slug }, editing: false).ContainsKey("slug").ShouldBe(!valid);
    }

    [Fact]
    public void A_slug_longer_than_100_characters_is_refused()
    {
        CourseRules.Validate(CourseRequests.Course() with { Slug = new string('a', 100) }, editing: false).ShouldBeEmpty();
        CourseRules.Validate(CourseRequests.Course() with { Slug = new string('a', 101) }, editing: false).Keys.ShouldBe(["slug"]);
    }

    [Theory]
    [InlineData("Level", "Expert")]
    [InlineData("Level", "beginner")]
    [InlineData("Level", "0")]
    [InlineData("Kind", "Workshop")]
    [InlineData("Kind", "1")]
    [InlineData("Kind", "Course, Certification")]
    public void Level_and_kind_take_only_their_exact_names_not_numbers_or_combinations(string field, string value)
    {
        var request = field == "Level" ? CourseRequests.Course() with { Level = value } : CourseRequests.Course() with { Kind = value };

        CourseRules.Validate(request, editing: false).Keys.ShouldBe([field.ToLowerInvariant()]);
    }

    [Theory]
    [InlineData(0L, true)]
    [InlineData(1L, true)]
    [InlineData(-1L, false)]
    public void A_price_is_zero_for_a_free_course_or_more_never_negative(long price, bool valid)
    {
        CourseRules.Validate(CourseRequests.Course() with { PriceMinor = price }, editing: false).ContainsKey("priceMinor").ShouldBe(!valid);
    }

    [Theory]
    [InlineData("EUR", true)]
    [InlineData("eur", false)]
    [InlineData("EURO", false)]
    [InlineData("€", false)]
    public void A_currency_is_an_upper_case_ISO_4217_code(string currency, bool valid)
    {
        CourseRules.Validate(CourseRequests.Course() with { Currency = currency }, editing: false).ContainsKey("currency").ShouldBe(!valid);
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("de-CH", true)]
    [InlineData("zh-Hant-TW", true)]
    [InlineData("e", false)]
    [InlineData("english!", false)]
    [InlineData("en_GB", false)]
    public void The_teaching_language_is_an_IETF_tag(string language, bool valid)
    {
        CourseRules.Validate(CourseRequests.Course() with { Language = language }, editing: false).ContainsKey("language").ShouldBe(!valid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_001)]
    public void Durations_are_whole_minutes_from_1_to_100000(int minutes)
    {
        CourseRules.Validate(CourseRequests.Course() with { DurationMinutes = minutes }, editing: false).Keys.ShouldBe(["durationMinutes"]);
    }

    [Fact]
    public void A_syllabus_needs_at_least_one_lesson_and_at_most_200()
    {
        CourseRules.Validate(CourseRequests.Course() with { Lessons = [] }, editing: false).Keys.ShouldBe(["lessons"]);
        CourseRules.Validate(CourseRequests.Course() with { Lessons = null }, editing: false).Keys.ShouldBe(["lessons"]);
        var many = Enumerable.Range(1, 201).Select(i => (LessonRequest?)new LessonRequest($"Lesson {i}", 5)).ToList();
        CourseRules.Validate(CourseRequests.Course() with { Lessons = many }, editing: false).Keys.ShouldBe(["lessons"]);
    }

    [Fact]
    public void Each_faulty_lesson_is_named_by_its_position()
    {
        var errors = CourseRules.Validate(
            CourseRequests.Course() with { Lessons = [new LessonRequest("Fine", 10), null, new LessonRequest(" ", 0)] }, editing: false);

        errors.Keys.ShouldBe(["lessons[1]", "lessons[2].title", "lessons[2].durationMinutes"], ignoreOrder: true);
    }

    [Fact]
    public void The_same_lesson_id_may_not_appear_twice_in_a_syllabus()
    {
        var id = Guid.NewGuid();

        CourseRules.Validate(CourseRequests.Course() with { Lessons = [new LessonRequest("One", 10, id), new LessonRequest("Two", 10, id)] }, editing: false)
            .Keys.ShouldBe(["lessons"]);
    }

    [Fact]
    public void An_exam_needs_a_pass_mark_from_1_to_100_percent()
    {
        CourseRules.Validate(CourseRequests.Course() with { Exam = CourseRequests.Exam(passMark: 0) }, editing: false).Keys.ShouldBe(["exam.passMarkPercent"]);
        CourseRules.Validate(CourseRequests.Course() with { Exam = CourseRequests.Exam(passMark: 101) }, editing: false).Keys.ShouldBe(["exam.passMarkPercent"]);
        CourseRules.Validate(CourseRequests.Course() with { Exam = CourseRequests.Exam(passMark: 100) }, editing: false).ShouldBeEmpty();
    }

    [Fact]
    public void A_question_needs_two_to_six_options_and_a_correct_option_among_them()
    {
        var exam = new ExamRequest(50,
        [
            new QuestionRequest("One option", ["Only"], 0),
            new QuestionRequest("Seven options", ["1", "2", "3", "4", "5", "6", "7"], 0),
            new QuestionRequest("Blank option", ["Yes", " "], 0),
            new QuestionRequest("Answer out of range", ["Yes", "No"], 2),
            new QuestionRequest("No answer", ["Yes", "No"], null),
            new QuestionRequest("Fine", ["Yes", "No"], 1),
        ]);

        CourseRules.Validate(CourseRequests.Course() with { Exam = exam }, editing: false).Keys.ShouldBe(
            [
                "exam.questions[0].options", "exam.questions[1].options", "exam.questions[2].options",
                "exam.questions[3].correctOption", "exam.questions[4].correctOption",
            ],
            ignoreOrder: true);
    }

    [Fact]
    public void Applying_a_request_trims_the_texts_and_keeps_the_identity_of_lessons_it_names()
    {
        var kept = Guid.NewGuid();
        var course = new Course
        {
            Slug = "old", Title = "Old", Description = "Old", Currency = "EUR", Language = "en",
            Syllabus = [new Lesson(kept, "Triage", 45), new Lesson(Guid.NewGuid(), "Dropped", 10)],
        };
        var stranger = Guid.NewGuid();

        CourseRules.Apply(
            CourseRequests.Certification() with
            {
                Title = "  Incident response  ",
                Lessons = [new LessonRequest(" Triage again ", 50, kept), new LessonRequest("Brand new", 20, stranger)],
            },
            course);

        course.Title.ShouldBe("Incident response");
        course.Kind.ShouldBe(CourseKind.Certification);
        course.Level.ShouldBe(CourseLevel.Intermediate);
        course.Syllabus.Select(lesson => lesson.Title).ShouldBe(["Triage again", "Brand new"]);
        course.Syllabus[0].Id.ShouldBe(kept, "learners' progress on a kept lesson must keep pointing at it");
        course.Syllabus[1].Id.ShouldNotBe(stranger, "an id the course never had is not taken over from the request");
        course.Exam.ShouldNotBeNull().Questions.Select(question => question.CorrectOption).ShouldBe([0, 1]);
    }
}
