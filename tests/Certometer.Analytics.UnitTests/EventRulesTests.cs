using Certometer.Analytics.Ingestion;

namespace Certometer.Analytics.UnitTests;

public sealed class EventRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IngestionOptions Options = new() { MaxEventAge = TimeSpan.FromDays(7), MaxClockSkew = TimeSpan.FromMinutes(5) };
    private static readonly VisitorKey SignedIn = new("a3f1c0de");
    private const string RandomVisitor = "0f8e1c2a-5b7d-4e3f-9a1b-2c3d4e5f6a7b";

    private static UsageEventRequest View(string page = "/courses/sql") => new(page, "desktop", OccurredAt: Now.AddMinutes(-1));

    private static (UsageEvent? Stored, Dictionary<string, string[]> Errors) Check(UsageEventRequest? request, VisitorKey? visitor = null)
    {
        var errors = new Dictionary<string, string[]>();
        var stored = EventRules.Check(request, "", visitor ?? SignedIn, "CH", Now, Options, errors);
        return (stored, errors);
    }

    [Fact]
    public void A_signed_in_page_view_is_stored_under_the_pseudonym_with_its_area_and_coarse_location()
    {
        var (stored, errors) = Check(View("/courses/sql-basics"));

        errors.ShouldBeEmpty();
        stored.ShouldNotBeNull();
        stored.Pseudonym.ShouldBe(SignedIn.Pseudonym);
        stored.AnonymousId.ShouldBeNull();
        stored.Page.ShouldBe("/courses/sql-basics");
        stored.Area.ShouldBe("courses");
        stored.Location.ShouldBe("CH");
    }

    [Fact]
    public void The_site_root_belongs_to_the_home_area()
    {
        Check(View("/")).Stored!.Area.ShouldBe("home");
    }

    [Fact]
    public void Query_strings_and_fragments_are_cut_from_the_page_because_they_carry_emails_and_reset_tokens()
    {
        Check(View("/account/reset?email=erika@example.test&token=abc#step-2")).Stored!.Page.ShouldBe("/account/reset");
    }

    [Theory]
    [InlineData("courses")]
    [InlineData("/users/erika@example.test")]
    [InlineData("/search/erika mustermann")]
    [InlineData("")]
    public void A_page_that_is_not_a_plain_site_path_is_refused(string page)
    {
        var (stored, errors) = Check(View(page));

        stored.ShouldBeNull();
        errors.Keys.ShouldBe(["page"]);
    }

    [Fact]
    public void A_referrer_keeps_only_its_origin_and_path_never_credentials_query_or_fragment()
    {
        var stored = Check(View() with { Referrer = "https://erika:secret@search.example:8443/results?q=erika%40example.test#top" }).Stored!;

        stored.Referrer.ShouldBe("https://search.example:8443/results");
    }

    [Theory]
    [InlineData("ftp://files.example/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a url")]
    public void A_referrer_that_is_neither_an_http_address_nor_a_site_path_is_refused(string referrer)
    {
        Check(View() with { Referrer = referrer }).Errors.Keys.ShouldBe(["referrer"]);
    }

    [Fact]
    public void A_long_referrer_is_cut_to_the_stored_length()
    {
        var referrer = "https://search.example/" + new string('a', 1000);

        Check(View() with { Referrer = referrer }).Stored!.Referrer!.Length.ShouldBe(EventRules.MaxStoredAddressLength);
    }

    [Fact]
    public void Screens_are_stored_only_as_coarse_size_buckets()
    {
        var stored = Check(View() with { ScreenWidth = 1366, ScreenHeight = 768 }).Stored!;

        stored.ScreenWidth.ShouldBe(1280);
        stored.ScreenHeight.ShouldBe(768);
        Check(View() with { ScreenWidth = 300, ScreenHeight = 400 }).Stored!.ScreenWidth.ShouldBe(0);
        Check(View() with { ScreenWidth = 7680, ScreenHeight = 4320 }).Stored!.ScreenWidth.ShouldBe(3840);
    }

    [Fact]
    public void Screen_width_and_height_come_together_or_not_at_all()
    {
        Check(View() with { ScreenWidth = 1920 }).Errors.Keys.ShouldBe(["screenHeight"]);
        Check(View() with { ScreenWidth = 0, ScreenHeight = 1080 }).Errors.Keys.ShouldBe(["screenWidth"]);
    }

    [Theory]
    [InlineData("DE-ch", "de-CH")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData(" en ", "en")]
    public void Language_tags_are_stored_in_conventional_case(string sent, string stored)
    {
        Check(View() with { Language = sent }).Stored!.Language.ShouldBe(stored);
    }

    [Fact]
    public void A_user_agent_string_is_not_a_browser_family()
    {
        Check(View() with { Browser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" }).Errors.Keys.ShouldBe(["browser"]);
        Check(View() with { Browser = " Firefox " }).Stored!.Browser.ShouldBe("firefox");
    }

    [Fact]
    public void An_event_slightly_ahead_of_the_server_clock_is_clamped_to_now_and_one_far_ahead_is_refused()
    {
        Check(View() with { OccurredAt = Now.AddMinutes(4) }).Stored!.OccurredAt.ShouldBe(Now);
        Check(View() with { OccurredAt = Now.AddMinutes(6) }).Errors.Keys.ShouldBe(["occurredAt"]);
    }

    [Fact]
    public void An_event_older_than_the_accepted_age_is_refused()
    {
        Check(View() with { OccurredAt = Now.AddDays(-7).AddMinutes(1) }).Errors.ShouldBeEmpty();
        Check(View() with { OccurredAt = Now.AddDays(-7).AddMinutes(-1) }).Errors.Keys.ShouldBe(["occurredAt"]);
        Check(View() with { OccurredAt = null }).Errors.Keys.ShouldBe(["occurredAt"]);
    }

    [Fact]
    public void Event_times_are_stored_in_UTC()
    {
        var zurich = new DateTimeOffset(2026, 3, 1, 12, 30, 0, TimeSpan.FromHours(1));

        Check(View() with { OccurredAt = zurich }).Stored!.OccurredAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void An_anonymous_visit_is_stored_under_the_random_id_its_app_made_up()
    {
        var (stored, errors) = Check(View() with { AnonymousId = RandomVisitor }, VisitorKey.Anonymous);

        errors.ShouldBeEmpty();
        stored!.Pseudonym.ShouldBeNull();
        stored.AnonymousId.ShouldBe(Guid.Parse(RandomVisitor));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-uuid")]
    [InlineData("0194f0a2-3c5e-7b1d-9a8f-1c2d3e4f5a6b")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public void An_anonymous_visit_without_a_random_version_4_id_is_refused(string? anonymousId)
    {
        Check(View() with { AnonymousId = anonymousId }, VisitorKey.Anonymous).Errors.Keys.ShouldBe(["anonymousId"]);
    }

    [Fact]
    public void A_signed_in_app_that_still_sends_its_anonymous_id_has_it_dropped_so_earlier_visits_stay_unlinkable()
    {
        Check(View() with { AnonymousId = RandomVisitor }).Stored!.AnonymousId.ShouldBeNull();
    }

    [Fact]
    public void Errors_in_a_batch_are_named_under_the_event_s_position()
    {
        var errors = new Dictionary<string, string[]>();

        EventRules.Check(View() with { DeviceType = "toaster" }, "events[3].", SignedIn, "CH", Now, Options, errors).ShouldBeNull();
        EventRules.Check(null, "events[4].", SignedIn, "CH", Now, Options, errors).ShouldBeNull();

        errors.Keys.ShouldBe(["events[3].deviceType", "events[4]"], ignoreOrder: true);
    }
}
