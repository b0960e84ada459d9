using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Certometer.PrivacyRights.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service; it never connects.</summary>
internal sealed class PrivacyRightsDbContextFactory : IDesignTimeDbContextFactory<PrivacyRightsDbContext>
{
    public PrivacyRightsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PrivacyRightsDbContext>().UseNpgsql("Host=design-time-only").Options);
}
