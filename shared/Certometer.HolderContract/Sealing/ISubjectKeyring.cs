namespace Certometer.HolderContract.Sealing;

/// <summary>
/// Where each subject's sealing key lives: made on first use, destroyed when their erasure completes, and gone for good
/// then. PrivacyRights keeps the keys; every other service asks it (<see cref="RemoteSubjectKeyring"/>).
/// </summary>
public interface ISubjectKeyring
{
    /// <summary>The subject's 256-bit key, made now if they have none; null when it was destroyed.</summary>
    ValueTask<byte[]?> GetOrCreateAsync(Guid subjectId, CancellationToken cancellationToken);

    /// <summary>The subject's key; null when it was destroyed or never made (nothing was ever sealed for them).</summary>
    ValueTask<byte[]?> FindAsync(Guid subjectId, CancellationToken cancellationToken);
}
