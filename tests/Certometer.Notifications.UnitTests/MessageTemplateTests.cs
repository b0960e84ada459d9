using Certometer.Contracts.Privacy;
using Certometer.Notifications.Delivery;
using Certometer.Notifications.Templates;

namespace Certometer.Notifications.UnitTests;

public sealed class MessageTemplateTests
{
    private static readonly MessageTemplates Templates = new();

    // Every value any template uses, as the senders fill them in.
    private static readonly IReadOnlyDictionary<string, string> Values = new[]
    {
        "approved_at", "body", "cancel_url", "check_url", "code", "confirm_url", "completed_at", "course", "deadline", "effective_at", "enrolled_at", "expires_at",
        "headline", "invoice_number", "name", "new_email", "package_available_until", "previous_deadline", "reason", "received_at", "requested_at", "sign_in_url", "summary",
        "total", "unsubscribe_url", "version",
    }.ToDictionary(name => name, name => $"({name})");

    public static TheoryData<MessageKind> Kinds => [.. Enum.GetValues<MessageKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_of_message_has_an_English_and_a_German_template_that_render(MessageKind kind)
    {
        foreach (var language in new[] { "en", "de" })
        {
            var rendered = Templates.Render(kind, language, Values);

            rendered.Language.ShouldBe(language);
            rendered.Subject.ShouldNotBeNullOrWhiteSpace();
            rendered.TextBody.ShouldNotBeNullOrWhiteSpace();
            rendered.HtmlBody.ShouldNotBeNullOrWhiteSpace();
            $"{rendered.Subject}{rendered.TextBody}{rendered.HtmlBody}".ShouldNotContain("{{", customMessage: $"{kind} in {language}");
        }
    }

    // A name is whatever the person typed at sign-up; in a subject line, "Claim your refund at evil.example" would read as
    // our own words. Bodies may greet by name, where it stands after "Hello" and cannot pass for the message's point.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void No_subject_line_carries_the_name_a_person_typed(MessageKind kind)
    {
        foreach (var language in new[] { "en", "de" })
        {
            Templates.Render(kind, language, Values).Subject.ShouldNotContain("(name)", customMessage: $"{kind} in {language}");
        }
    }

    [Theory]
    [InlineData("de-CH", "de")]
    [InlineData("DE", "de")]
    [InlineData("fr", "en")]
    [InlineData("fr-CA", "en")]
    [InlineData(null, "en")]
    [InlineData(" ", "en")]
    public void A_message_is_written_in_the_preferred_language_then_its_base_language_then_English(string? preferred, string language)
    {
        Templates.Render(MessageKind.Welcome, preferred, Values).Language.ShouldBe(language);
    }

    [Fact]
    public void A_name_full_of_markup_arrives_as_text_in_the_HTML_part_and_unchanged_in_the_text_part()
    {
        var rendered = Templates.Render(MessageKind.Welcome, "en", new Dictionary<string, string> { ["name"] = "<script>alert(1)</script>" });

        rendered.HtmlBody.ShouldNotContain("<script>");
        rendered.HtmlBody.ShouldContain("&lt;script&gt;");
        rendered.TextBody.ShouldContain("<script>alert(1)</script>");
    }

    [Theory]
    [InlineData(MessageKind.PrivacyRequestCompleted, PrivacyNotice.RequestCompleted)]
    [InlineData(MessageKind.PrivacyRestrictionLifting, PrivacyNotice.RestrictionLifting)]
    [InlineData(MessageKind.Welcome, null)]
    [InlineData(MessageKind.PrivacyRequestReceived, null)]
    public void Only_the_notices_PrivacyRights_waits_for_are_reported_back(MessageKind kind, PrivacyNotice? notice)
    {
        PrivacyNotices.NoticeOf(kind).ShouldBe(notice);
    }
}
