using Certometer.Messaging;

namespace Certometer.Billing.Data;

internal sealed class BillingDbContextFactory : DesignTimeServiceDbContextFactory<BillingDbContext>;
