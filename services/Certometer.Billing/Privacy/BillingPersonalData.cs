using Certometer.Contracts.Privacy;
using Certometer.Privacy;

namespace Certometer.Billing.Privacy;

/// <summary>The personal data the Billing service holds, as declared to PrivacyRights at start-up.</summary>
internal static class BillingPersonalData
{
    public static PersonalDataInventory Inventory { get; } = new(
        Service: "billing",
        Categories:
        [
            new PersonalDataCategory(
                Name: "invoices",
                Fields: ["billing name", "billing address", "line items", "tax", "invoice number"],
                Purpose: "Invoicing purchases.",
                OnErasure: ErasureAction.Pseudonymise,
                Exported: true,
                RetentionLegalBasis: "Tax law requires issued invoices to be kept (EU VAT Directive 2006/112/EC art. 244-249 and national bookkeeping law).",
                RetentionMonths: 120),
            new PersonalDataCategory(
                Name: "orders-and-payments",
                Fields: ["course ordered", "amount", "payment status", "payment gateway reference", "card brand", "card last 4 digits"],
                Purpose: "Taking payment and handling refunds.",
                OnErasure: ErasureAction.Pseudonymise,
                Exported: true,
                RetentionLegalBasis: "Payment records back the invoices that tax law requires to be kept (EU VAT Directive 2006/112/EC art. 244-249).",
                RetentionMonths: 120),
            new PersonalDataCategory(
                Name: "stored-payment-methods",
                Fields: ["card brand", "card last 4 digits", "card expiry month and year", "gateway card token"],
                Purpose: "Paying again without re-entering a card.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
        ],
        OnRestriction: "No charge is started except one the subject asks for; billing data is not used for analytics while restricted.");
}
