using Certometer.Catalog.Certificates;
using Certometer.Catalog.Courses;

namespace Certometer.Catalog.UnitTests;

public sealed class CertificateTests
{
    private static readonly Lesson Triage = new(Guid.NewGuid(), "Triage", 45);
    private static readonly Lesson Postmortems = new(Guid.NewGuid(), "Postmortems", 45);

    private static Course CourseWith(Exam? exam) => new()
    {
        Slug = "incident-response", Title = "Incident response", Description = "Calmly.", Currency = "EUR", Language = "en",
        Syllabus = [Triage, Postmortems], Exam = exam,
    };

    [Fact]
    public void A_course_without_an_exam_is_earned_by_completing_every_lesson_of_its_syllabus()
    {
        var course = CourseWith(exam: null);

        CertificateIssuing.IsEarnedByLessons(course, [Triage.Id]).ShouldBeFalse();
        CertificateIssuing.IsEarnedByLessons(course, [Postmortems.Id, Triage.Id]).ShouldBeTrue();
    }

    [Fact]
    public void Lessons_no_longer_in_the_syllabus_do_not_count_towards_it()
    {
        CertificateIssuing.IsEarnedByLessons(CourseWith(exam: null), [Triage.Id, Guid.NewGuid()]).ShouldBeFalse();
    }

    [Fact]
    public void A_course_with_an_exam_is_never_earned_by_lessons_alone()
    {
        var course = CourseWith(new Exam(50, [new ExamQuestion(Guid.NewGuid(), "Ready?", ["Yes", "No"], 0)]));

        CertificateIssuing.IsEarnedByLessons(course, [Triage.Id, Postmortems.Id]).ShouldBeFalse();
    }

    [Fact]
    public void Verification_codes_are_20_url_safe_characters_and_not_repeated()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => CertificateIssuing.NewVerificationCode()).ToList();

        codes.ShouldAllBe(code => CertificateIssuing.IsWellFormed(code));
        codes.Distinct().Count().ShouldBe(codes.Count);
    }

    [Theory]
    [InlineData("abcdefghij0123456789")]
    [InlineData("ABCDEFGHIJ-_-_-_-_-_")]
    public void A_code_of_20_letters_digits_hyphens_and_underscores_is_well_formed(string code)
    {
        CertificateIssuing.IsWellFormed(code).ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghij012345678")]
    [InlineData("abcdefghij0123456789a")]
    [InlineData("abcdefghij012345678=")]
    [InlineData("abcdefghij012345678/")]
    [InlineData("abcdefghij01234567é8")]
    public void A_code_of_another_length_or_with_other_characters_never_reaches_the_database(string code)
    {
        CertificateIssuing.IsWellFormed(code).ShouldBeFalse();
    }
}
