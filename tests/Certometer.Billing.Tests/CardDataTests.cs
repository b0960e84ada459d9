using System.Net;
using System.Text.RegularExpressions;
using Certometer.Billing.Gateway;

namespace Certometer.Billing.Tests;

public sealed partial class CardDataTests(BillingService billing)
{
    [Fact]
    public async Task After_payments_with_every_test_card_no_card_number_is_anywhere_in_the_database()
    {
        var courseId = await billing.OfferCourseAsync();
        using var learner = new Learner(billing);
        foreach (var card in SandboxGateway.TestCards.Keys)
        {
            var order = await learner.OrderAsync(courseId);
            using var response = await learner.PayAsync(order.Id, card);
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.PaymentRequired);
        }

        var everything = await billing.AllTextAsync();

        everything.ShouldContain(cell => cell.Column == "payments.card_last4" && cell.Value == "4242", "the scan sees the payments it must check");
        var cardNumbers = everything
            .SelectMany(cell => DigitRun().Matches(cell.Value).Select(match => (cell.Column, match.Value)))
            .Where(found => Luhn.IsValid(found.Value))
            .ToList();
        cardNumbers.ShouldBeEmpty();
        foreach (var card in SandboxGateway.TestCards.Keys)
        {
            var spaced = string.Join(' ', card.Chunk(4).Select(chunk => new string(chunk)));
            everything.ShouldNotContain(cell => cell.Value.Contains(card, StringComparison.Ordinal) || cell.Value.Contains(spaced, StringComparison.Ordinal));
        }
    }

    // 13 to 19 digits not glued to letters, digits or underscores: those make an identifier (a GUID, or EF's migration
    // ids such as 20261125141709_Name, which happen to pass Luhn), not a card number.
    [GeneratedRegex(@"(?<![0-9A-Za-z_])[0-9]{13,19}(?![0-9A-Za-z_])")]
    private static partial Regex DigitRun();
}
