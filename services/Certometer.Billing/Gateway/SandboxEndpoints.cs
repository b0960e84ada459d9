using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certometer.Billing.Gateway;

/// <summary>A card as the sandbox's tokenization API receives it, straight from the client; Billing never sees this.</summary>
public sealed record SandboxCardRequest(string? Number, int? ExpiryMonth, int? ExpiryYear, string? Cvc);

/// <summary>The sandbox's answer to tokenization: the token to send Billing, and the card as Billing may show it.</summary>
public sealed record SandboxTokenResponse(string Token, string Brand, string Last4, int ExpiryMonth, int ExpiryYear);

internal static class SandboxEndpoints
{
    /// <summary>Maps the sandbox gateway's own client-side API; only called when the sandbox is the configured gateway.</summary>
    public static IEndpointRouteBuilder MapSandboxGateway(this IEndpointRouteBuilder app)
    {
        // Anonymous on purpose and outside /api and the OpenAPI document: this plays a third party's tokenization
        // API, which browsers call directly with the gateway's publishable key, not with a Certometer token.
        app.MapPost("/sandbox-gateway/tokens", Tokenize)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static Results<Created<SandboxTokenResponse>, ValidationProblem> Tokenize(
        SandboxCardRequest card, SandboxGateway sandbox, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        var number = card.Number?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (number is null || number.Length is < 13 or > 19 || !number.All(char.IsAsciiDigit) || !Luhn.IsValid(number))
        {
            errors["number"] = ["This is not a valid card number."];
        }

        if (card.ExpiryMonth is not (>= 1 and <= 12))
        {
            errors["expiryMonth"] = ["The expiry month is 1 to 12."];
        }

        var thisYear = clock.GetUtcNow().Year;
        if (card.ExpiryYear is not { } year || year < thisYear || year > thisYear + 20)
        {
            errors["expiryYear"] = [string.Create(CultureInfo.InvariantCulture, $"The expiry year is a four-digit year from {thisYear}.")];
        }

        if (card.Cvc is null || card.Cvc.Length is < 3 or > 4 || !card.Cvc.All(char.IsAsciiDigit))
        {
            errors["cvc"] = ["The security code is 3 or 4 digits."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var token = sandbox.Tokenize(number!, card.ExpiryMonth!.Value, card.ExpiryYear!.Value);
        return TypedResults.Created(
            $"/sandbox-gateway/tokens/{token.Token}",
            new SandboxTokenResponse(token.Token, token.Brand, token.Last4, token.ExpiryMonth, token.ExpiryYear));
    }
}

/// <summary>The Luhn check digit test every card number passes.</summary>
public static class Luhn
{
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var digit = digits[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
