using Certometer.Messaging;

namespace Certometer.Identity.Data;

internal sealed class IdentityDbContextFactory : DesignTimeServiceDbContextFactory<IdentityDbContext>;
