using Certometer.Billing.Invoices;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;

namespace Certometer.Billing.PersonalData;

/// <summary>The personal data the Billing service holds, as declared to PrivacyRights at start-up.</summary>
internal static class BillingPersonalData
{
    public const string Invoices = "invoices";
    public const string OrdersAndPayments = "orders-and-payments";
    public const string PaymentCards = "payment-card-details";

    /// <summary>Why an order whose charge is still in flight at the gateway outlives its buyer's erasure.</summary>
    public const string PendingChargeLegalBasis =
        "A charge still awaiting the gateway's verdict may yet take the buyer's money; the order is kept, pseudonymised, so that money taken is invoiced (tax law) and refunded, never unaccounted for.";

    /// <summary>The inventory with the legal basis and retention configured for invoices, so receipts and declaration never disagree.</summary>
    public static PersonalDataInventory Inventory(IConfiguration configuration) =>
        Inventory(configuration.GetSection(InvoiceOptions.SectionName).Get<InvoiceOptions>() ?? new InvoiceOptions());

    public static PersonalDataInventory Inventory(InvoiceOptions invoices) => new(
        Service: "billing",
        Categories:
        [
            new PersonalDataCategory(
                Name: Invoices,
                Fields: ["billing name", "billing address", "subject id", "line items", "tax", "invoice number"],
                Purpose: "Invoicing purchases.",
                OnErasure: ErasureAction.Pseudonymise,
                Exported: true,
                RetentionLegalBasis: invoices.RetentionLegalBasis,
                RetentionMonths: invoices.RetentionYears * 12),
            new PersonalDataCategory(
                Name: OrdersAndPayments,
                Fields: ["course ordered", "amount", "order and payment status", "billing name and address given with the order", "subject id", "payment gateway reference"],
                Purpose: "Taking payment and handling refunds. Orders never invoiced are erased; invoiced ones back their invoice and are pseudonymised with it, and so are those whose charge still awaits the gateway's verdict, until it settles.",
                OnErasure: ErasureAction.Pseudonymise,
                Exported: true,
                RetentionLegalBasis: invoices.RetentionLegalBasis,
                RetentionMonths: invoices.RetentionYears * 12),
            new PersonalDataCategory(
                Name: PaymentCards,
                Fields: ["card brand", "card last 4 digits", "card expiry month and year"],
                Purpose: "Showing the payer which card was charged. A full card number never reaches Billing; the gateway holds the card.",
                OnErasure: ErasureAction.Erase,
                Exported: true),
        ],
        OnRestriction: "Recorded; no charge is started except one the subject asks for, and billing data is not used for analytics while restricted.");
}
