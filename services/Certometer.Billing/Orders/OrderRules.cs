using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Certometer.Billing.Orders;

/// <summary>Validation and normalisation of a new order.</summary>
internal static class OrderRules
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int TextMaxLength = 200;

    public static Dictionary<string, string[]> Validate(CreateOrderRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            errors[IdempotencyKeyHeader] = ["An Idempotency-Key header is required: a unique value per purchase, reused when retrying it."];
        }
        else if (idempotencyKey.Length > 100)
        {
            errors[IdempotencyKeyHeader] = ["The Idempotency-Key can be at most 100 characters."];
        }

        if (request.CourseId is null || request.CourseId == Guid.Empty)
        {
            errors["courseId"] = ["The course to buy is required."];
        }

        var details = request.BillingDetails;
        if (details is null)
        {
            errors["billingDetails"] = ["Billing details (name and address) are required for the invoice."];
            return errors;
        }

        RequireText(errors, "billingDetails.name", details.Name);
        var address = details.Address;
        if (address is null)
        {
            errors["billingDetails.address"] = ["A billing address is required for the invoice."];
            return errors;
        }

        RequireText(errors, "billingDetails.address.line1", address.Line1);
        LimitText(errors, "billingDetails.address.line2", address.Line2);
        RequireText(errors, "billingDetails.address.city", address.City);
        LimitText(errors, "billingDetails.address.region", address.Region);
        RequireText(errors, "billingDetails.address.postalCode", address.PostalCode);
        if (!IsCountryCode(address.Country))
        {
            errors["billingDetails.address.country"] = ["The country is a two-letter ISO 3166 code, e.g. DE."];
        }

        return errors;
    }

    public static bool IsCountryCode(string? country) => country is { Length: 2 } && country.All(char.IsAsciiLetter);

    /// <summary>The details as stored: trimmed, blank optional lines as null, the country in capitals.</summary>
    public static BillingDetails Normalise(BillingDetailsDto details) => new()
    {
        Name = details.Name!.Trim(),
        Line1 = details.Address!.Line1!.Trim(),
        Line2 = string.IsNullOrWhiteSpace(details.Address.Line2) ? null : details.Address.Line2.Trim(),
        City = details.Address.City!.Trim(),
        Region = string.IsNullOrWhiteSpace(details.Address.Region) ? null : details.Address.Region.Trim(),
        PostalCode = details.Address.PostalCode!.Trim(),
        Country = details.Address.Country!.ToUpperInvariant(),
    };

    /// <summary>A hash of what was asked for, to tell a retried request from a different one under the same key.</summary>
    public static string Fingerprint(Guid courseId, BillingDetails details) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { courseId, details }))));

    private static void RequireText(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["This field is required."];
        }
        else
        {
            LimitText(errors, field, value);
        }
    }

    private static void LimitText(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is not null && value.Trim().Length > TextMaxLength)
        {
            errors[field] = [$"This field can be at most {TextMaxLength} characters."];
        }
    }
}
