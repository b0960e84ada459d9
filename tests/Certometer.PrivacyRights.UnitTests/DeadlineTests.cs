using Certometer.PrivacyRights.Requests;

namespace Certometer.PrivacyRights.UnitTests;

public sealed class DeadlineTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void By_default_a_request_is_due_one_calendar_month_after_it_was_received()
    {
        new PrivacyRightsOptions().DeadlineFrom(ReceivedAt).ShouldBe(new DateTimeOffset(2026, 2, 15, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_request_received_on_the_31st_is_due_on_the_last_day_of_a_shorter_month()
    {
        var lastOfJanuary = new DateTimeOffset(2026, 1, 31, 9, 30, 0, TimeSpan.Zero);

        new PrivacyRightsOptions().DeadlineFrom(lastOfJanuary).ShouldBe(new DateTimeOffset(2026, 2, 28, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public void By_default_the_one_extension_adds_two_calendar_months_to_the_deadline()
    {
        var deadline = new DateTimeOffset(2026, 2, 15, 9, 30, 0, TimeSpan.Zero);

        new PrivacyRightsOptions().ExtendedFrom(deadline).ShouldBe(new DateTimeOffset(2026, 4, 15, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_configured_deadline_and_extension_are_exact_spans()
    {
        var options = new PrivacyRightsOptions { Deadline = TimeSpan.FromDays(30), Extension = TimeSpan.FromDays(60) };

        options.DeadlineFrom(ReceivedAt).ShouldBe(ReceivedAt.AddDays(30));
        options.ExtendedFrom(ReceivedAt.AddDays(30)).ShouldBe(ReceivedAt.AddDays(90));
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(64, true)]
    [InlineData(31, false)]
    [InlineData(0, false)]
    public void The_audit_chain_key_must_be_base64_of_at_least_32_bytes(int bytes, bool usable)
    {
        new PrivacyRightsOptions { AuditChainKey = Convert.ToBase64String(new byte[bytes]) }.HasUsableAuditChainKey().ShouldBe(usable);
    }

    [Fact]
    public void An_audit_chain_key_that_is_not_base64_is_not_usable_however_long()
    {
        new PrivacyRightsOptions { AuditChainKey = new string('!', 100) }.HasUsableAuditChainKey().ShouldBeFalse();
    }
}
