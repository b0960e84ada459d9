using Certometer.Catalog.Courses;
using Certometer.Catalog.Enrollments;

namespace Certometer.Catalog.UnitTests;

public sealed class ExamTests
{
    private static readonly Exam ThreeQuestions = new(
        PassMarkPercent: 67,
        Questions:
        [
            new ExamQuestion(Guid.NewGuid(), "First", ["a", "b"], 0),
            new ExamQuestion(Guid.NewGuid(), "Second", ["a", "b", "c"], 2),
            new ExamQuestion(Guid.NewGuid(), "Third", ["a", "b"], 1),
        ]);

    [Theory]
    [InlineData(new[] { 0, 2, 1 }, 100)]
    [InlineData(new[] { 0, 2, 0 }, 66)]
    [InlineData(new[] { 1, 0, 0 }, 0)]
    public void The_score_is_the_whole_percentage_of_correct_answers_rounded_down(int[] answers, int score)
    {
        ThreeQuestions.ScorePercent(answers).ShouldBe(score);
    }

    [Fact]
    public void Reaching_the_pass_mark_exactly_passes_and_one_point_below_fails()
    {
        ThreeQuestions.IsPass(67).ShouldBeTrue();
        ThreeQuestions.IsPass(66).ShouldBeFalse();
    }

    [Fact]
    public void Two_of_three_right_is_not_enough_for_a_pass_mark_of_67_percent()
    {
        ThreeQuestions.IsPass(ThreeQuestions.ScorePercent([0, 2, 0])).ShouldBeFalse();
    }

    [Fact]
    public void An_attempt_must_answer_every_question_in_order()
    {
        LearningEndpoints.ValidateAnswers([0, 2], ThreeQuestions).Keys.ShouldBe(["answers"]);
        LearningEndpoints.ValidateAnswers(null, ThreeQuestions).Keys.ShouldBe(["answers"]);
        LearningEndpoints.ValidateAnswers([0, 2, 1], ThreeQuestions).ShouldBeEmpty();
    }

    [Fact]
    public void Each_answer_that_is_missing_or_not_one_of_its_question_options_is_named()
    {
        LearningEndpoints.ValidateAnswers([null, 3, -1], ThreeQuestions).Keys.ShouldBe(["answers[0]", "answers[1]", "answers[2]"], ignoreOrder: true);
        LearningEndpoints.ValidateAnswers([1, 2, 1], ThreeQuestions).ShouldBeEmpty("option 2 exists for the second question, which has three");
    }
}
