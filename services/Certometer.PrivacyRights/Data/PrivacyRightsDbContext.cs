using Certometer.HolderContract.Tombstones;
using Certometer.Messaging;
using Certometer.PrivacyRights.Access;
using Certometer.PrivacyRights.Audit;
using Certometer.PrivacyRights.Consents;
using Certometer.PrivacyRights.Intake;
using Certometer.PrivacyRights.Inventory;
using Certometer.PrivacyRights.Policies;
using Certometer.PrivacyRights.Requests;
using Certometer.PrivacyRights.SubjectKeys;
using Certometer.PrivacyRights.Workflow;
using Microsoft.EntityFrameworkCore;

namespace Certometer.PrivacyRights.Data;

/// <summary>The PrivacyRights service's own database.</summary>
public sealed class PrivacyRightsDbContext(DbContextOptions<PrivacyRightsDbContext> options) : DbContext(options)
{
    public DbSet<PersonalDataHolder> PersonalDataHolders => Set<PersonalDataHolder>();

    public DbSet<PrivacyRequest> Requests => Set<PrivacyRequest>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<PendingAuditEntry> PendingAuditEntries => Set<PendingAuditEntry>();

    public DbSet<ConsentLedgerEntry> ConsentLedger => Set<ConsentLedgerEntry>();

    public DbSet<HolderStep> HolderSteps => Set<HolderStep>();

    public DbSet<ExportPart> ExportParts => Set<ExportPart>();

    public DbSet<AccessPackage> AccessPackages => Set<AccessPackage>();
    public DbSet<RequestVerification> RequestVerifications => Set<RequestVerification>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<PolicyAcceptance> PolicyAcceptances => Set<PolicyAcceptance>();

    public DbSet<SubjectKey> SubjectKeys => Set<SubjectKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();
        modelBuilder.HasSequence<long>(AuditChain.PendingOrderSequence);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PrivacyRightsDbContext).Assembly);
    }
}
