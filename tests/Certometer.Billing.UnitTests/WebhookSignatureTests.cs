using System.Security.Cryptography;
using System.Text;
using Certometer.Billing.Gateway;

namespace Certometer.Billing.UnitTests;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec-0123456789abcdef0123456789abcdef";
    private const string Body = """{"id":"evt_1","type":"charge.succeeded","data":{"charge":"ch_1"}}""";
    private static readonly DateTimeOffset SentAt = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_webhook_signed_with_the_secret_is_accepted_within_the_tolerance()
    {
        var header = WebhookSignature.Sign(Secret, SentAt, Body);

        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(4), Tolerance).ShouldBe(WebhookVerification.Valid);
        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(-4), Tolerance).ShouldBe(WebhookVerification.Valid);
    }

    [Fact]
    public void A_changed_body_is_refused_as_a_bad_signature()
    {
        var header = WebhookSignature.Sign(Secret, SentAt, Body);

        WebhookSignature.Verify(Secret, header, Body.Replace("ch_1", "ch_2", StringComparison.Ordinal), SentAt, Tolerance)
            .ShouldBe(WebhookVerification.BadSignature);
    }

    [Fact]
    public void A_webhook_signed_with_another_secret_is_refused()
    {
        var header = WebhookSignature.Sign("another-secret-0123456789abcdef0123", SentAt, Body);

        WebhookSignature.Verify(Secret, header, Body, SentAt, Tolerance).ShouldBe(WebhookVerification.BadSignature);
    }

    [Fact]
    public void A_captured_webhook_replayed_later_is_refused_even_though_its_body_is_genuine()
    {
        var header = WebhookSignature.Sign(Secret, SentAt, Body);

        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(6), Tolerance).ShouldBe(WebhookVerification.OutsideTolerance);
        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(-6), Tolerance).ShouldBe(WebhookVerification.OutsideTolerance);
    }

    [Fact]
    public void Moving_the_timestamp_to_make_an_old_webhook_look_fresh_breaks_the_signature()
    {
        var header = WebhookSignature.Sign(Secret, SentAt, Body);
        var later = SentAt.AddHours(1);
        var moved = header.Replace($"t={SentAt.ToUnixTimeSeconds()}", $"t={later.ToUnixTimeSeconds()}", StringComparison.Ordinal);

        WebhookSignature.Verify(Secret, moved, Body, later, Tolerance).ShouldBe(WebhookVerification.BadSignature);
    }

    [Fact]
    public void While_the_secret_is_rotated_a_header_carrying_an_old_and_a_new_signature_is_accepted()
    {
        var old = WebhookSignature.Sign("old-secret-0123456789abcdef0123456789", SentAt, Body);
        var current = WebhookSignature.Sign(Secret, SentAt, Body);
        var both = $"{old},{current[current.IndexOf("v1=", StringComparison.Ordinal)..]}";

        WebhookSignature.Verify(Secret, both, Body, SentAt, Tolerance).ShouldBe(WebhookVerification.Valid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=1772366400")]
    [InlineData("t=soon,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=1772366400,v1=abc")]
    [InlineData("t=1772366400,v1=zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=-1772366400,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_header_without_a_timestamp_and_a_well_formed_signature_is_malformed(string? header)
    {
        WebhookSignature.Verify(Secret, header, Body, SentAt, Tolerance).ShouldBe(WebhookVerification.Malformed);
    }

    [Fact]
    public void A_timestamp_beyond_any_date_is_outside_the_tolerance_rather_than_an_error()
    {
        // Signed over the huge timestamp, as whoever holds the secret could: the signature holds, the date cannot.
        const string seconds = "99999999999999";
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{seconds}.{Body}")));

        WebhookSignature.Verify(Secret, $"t={seconds},v1={mac}", Body, SentAt, Tolerance).ShouldBe(WebhookVerification.OutsideTolerance);
    }
}
