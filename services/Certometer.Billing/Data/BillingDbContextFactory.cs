using Certometer.Persistence;

namespace Certometer.Billing.Data;

internal sealed class BillingDbContextFactory : DesignTimeServiceDbContextFactory<BillingDbContext>;
