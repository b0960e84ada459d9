using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Certometer.Billing.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service; it never connects.</summary>
internal sealed class BillingDbContextFactory : IDesignTimeDbContextFactory<BillingDbContext>
{
    public BillingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BillingDbContext>().UseNpgsql("Host=design-time-only").Options);
}
