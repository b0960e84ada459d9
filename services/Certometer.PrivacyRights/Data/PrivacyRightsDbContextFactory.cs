using Certometer.Messaging;

namespace Certometer.PrivacyRights.Data;

internal sealed class PrivacyRightsDbContextFactory : DesignTimeServiceDbContextFactory<PrivacyRightsDbContext>;
