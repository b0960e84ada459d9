using Certometer.Persistence;

namespace Certometer.PrivacyRights.Data;

internal sealed class PrivacyRightsDbContextFactory : DesignTimeServiceDbContextFactory<PrivacyRightsDbContext>;
