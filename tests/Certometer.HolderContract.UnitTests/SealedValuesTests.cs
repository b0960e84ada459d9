using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Certometer.Contracts;
using Certometer.Contracts.Identity;
using Certometer.HolderContract.Sealing;

namespace Certometer.HolderContract.UnitTests;

public sealed class SealedValuesTests
{
    private static readonly Guid Subject = Guid.Parse("6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b");
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static readonly LearnerRegistered Registration = new(Subject, "Ada Lovelace", "ada@example.test", "en", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Sealing_leaves_no_personal_value_readable_and_everything_else_as_it_was()
    {
        var json = Sealed(Registration);

        json.ToJsonString().ShouldNotContain("Ada");
        json.ToJsonString().ShouldNotContain("ada@example.test");
        json["name"]!.GetValue<string>().ShouldStartWith(SealedValues.Prefix);
        json["preferredLanguage"]!.GetValue<string>().ShouldBe("en", "only the properties marked personal are sealed");
        json["subjectId"]!.GetValue<Guid>().ShouldBe(Subject);
    }

    [Fact]
    public void A_sealed_event_opens_under_its_subjects_key_to_exactly_the_original()
    {
        var json = Sealed(Registration);

        SealedValues.Open(json, Shape<LearnerRegistered>(), Subject, Key);

        SealedValues.FromJson(json, typeof(LearnerRegistered)).ShouldBe(Registration);
    }

    [Fact]
    public void Sealing_the_same_value_twice_gives_different_text_so_copies_cannot_be_matched()
    {
        Sealed(Registration)["email"]!.GetValue<string>().ShouldNotBe(Sealed(Registration)["email"]!.GetValue<string>());
    }

    [Fact]
    public void A_sealed_value_does_not_open_under_another_key_for_another_subject_or_in_another_field()
    {
        var json = Sealed(Registration);
        var name = json["name"]!.GetValue<string>();

        Should.Throw<CryptographicException>(() => SealedValues.Open(Sealed(Registration), Shape<LearnerRegistered>(), Subject, RandomNumberGenerator.GetBytes(32)));
        Should.Throw<CryptographicException>(() => SealedValues.Open(Sealed(Registration), Shape<LearnerRegistered>(), Guid.NewGuid(), Key));
        json["email"] = name;
        Should.Throw<CryptographicException>(() => SealedValues.Open(json, Shape<LearnerRegistered>(), Subject, Key));
    }

    [Fact]
    public void Every_value_of_a_map_of_personal_values_is_sealed_and_bound_to_its_own_entry()
    {
        var rectified = new SubjectDataRectified(Subject, new Dictionary<string, string?> { ["name"] = "Ada King", ["email"] = "ada@king.test", ["phone"] = null }, DateTimeOffset.UnixEpoch);
        var json = Sealed(rectified);
        var fields = json["changedFields"]!.AsObject();

        fields["name"]!.GetValue<string>().ShouldStartWith(SealedValues.Prefix);
        fields["email"]!.GetValue<string>().ShouldStartWith(SealedValues.Prefix);
        fields["phone"].ShouldBeNull("a cleared field carries no value to seal");
        (fields["name"], fields["email"]) = (fields["email"]!.DeepClone(), fields["name"]!.DeepClone());
        Should.Throw<CryptographicException>(() => SealedValues.Open(json, Shape<SubjectDataRectified>(), Subject, Key));
    }

    [Fact]
    public void Plain_values_are_left_as_they_are_and_sealed_ones_are_not_sealed_twice()
    {
        var json = Sealed(Registration);

        SealedValues.Seal(json, Shape<LearnerRegistered>(), Subject, Key).ShouldBe(0);
        SealedValues.HasSealed(SealedValues.ToJson(Registration), Shape<LearnerRegistered>()).ShouldBeFalse();
    }

    public static TheoryData<string> ContractsWithPersonalValues() =>
        [.. typeof(ISubjectFact).Assembly.GetTypes()
            .Where(type => type.GetProperties().Any(property => property.IsDefined(typeof(PersonalValueAttribute), inherit: false)))
            .Select(type => type.FullName!)];

    [Theory]
    [MemberData(nameof(ContractsWithPersonalValues))]
    public void Every_event_with_personal_values_names_its_subject_and_carries_only_strings_there(string typeName)
    {
        var shape = SealedValues.ShapeOf(typeof(ISubjectFact).Assembly.GetType(typeName)!);

        shape.ShouldNotBeNull();
        shape.SubjectProperty.ShouldBe("subjectId");
    }

    [Fact]
    public void The_events_that_carry_what_identifies_a_person_are_all_sealed()
    {
        ContractsWithPersonalValues().Select(row => row.Data.Split('.')[^1]).ShouldBe(
            ["LearnerRegistered", "SubjectDataRectified", "AccountLocked", "SubjectDataExported", "PrivacyRequestCompleted", "PrivacyRequestVerificationCodeAddressed",
                "EmailChangeRequested", "SignUpConfirmationRequested", "SignUpAttemptedForExistingAccount"],
            ignoreOrder: true);
    }

    private static EventShape Shape<TEvent>() => SealedValues.ShapeOf(typeof(TEvent))!;

    private static JsonObject Sealed<TEvent>(TEvent message)
        where TEvent : class
    {
        var json = SealedValues.ToJson(message);
        SealedValues.Seal(json, Shape<TEvent>(), Subject, Key);
        return json;
    }
}
