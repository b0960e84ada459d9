using Certometer.Billing.Gateway;

namespace Certometer.Billing.UnitTests;

public sealed class LuhnTests
{
    [Theory]
    [InlineData("4242424242424242")]
    [InlineData("5555555555554444")]
    [InlineData("4000000000003220")]
    [InlineData("378282246310005")]
    public void Card_numbers_with_a_correct_check_digit_pass(string number)
    {
        Luhn.IsValid(number).ShouldBeTrue();
    }

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("4242424242424224")]
    [InlineData("1234567812345678")]
    public void Numbers_with_a_wrong_check_digit_or_two_swapped_digits_fail_the_check(string number)
    {
        Luhn.IsValid(number).ShouldBeFalse();
    }
}
