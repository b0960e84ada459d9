using Certometer.Persistence;

namespace Certometer.Identity.Data;

internal sealed class IdentityDbContextFactory : DesignTimeServiceDbContextFactory<IdentityDbContext>;
