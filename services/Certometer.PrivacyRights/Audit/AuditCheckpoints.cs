using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certometer.PrivacyRights.Data;
using Microsoft.Extensions.Options;

namespace Certometer.PrivacyRights.Audit;

/// <summary>Where and how often the audit chain's head is signed and written outside the database (section <c>PrivacyRights:Audit</c>).</summary>
public sealed class AuditCheckpointOptions
{
    public const string SectionName = "PrivacyRights:Audit";

    /// <summary>How often the head is checkpointed; a tail cut off after the last checkpoint is the most that can go unseen.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The directory checkpoints are added to, one file each, never overwritten; relative paths start at the content
    /// root. It should be storage the database's administrators cannot rewrite (a write-once mount or bucket).
    /// </summary>
    [Required(ErrorMessage = "PrivacyRights:Audit:CheckpointDirectory is required: the write-once directory, outside the database, where signed checkpoints of the audit chain go.")]
    public string CheckpointDirectory { get; set; } = "";

    /// <summary>
    /// The ECDSA P-256 private key (PKCS#8 DER, base64) that signs checkpoints. Its own key, not the command-signing
    /// one: either can then be rotated without the other, and a checkpoint signature can never pass for a command's.
    /// </summary>
    [Required(ErrorMessage = "PrivacyRights:Audit:CheckpointSigningKey is required: the ECDSA P-256 private key (PKCS#8, base64) that signs audit checkpoints.")]
    public string CheckpointSigningKey { get; set; } = "";
}

/// <summary>A statement, signed outside the database, that the audit chain's head was this entry at this time.</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset At);

/// <summary>One checkpoint file as read back: its name, its content if it parses, and whether the checkpoint key signed it.</summary>
public sealed record AuditCheckpointReading(string File, AuditCheckpoint? Checkpoint, bool SignatureValid);

/// <summary>Writes signed checkpoints of the audit chain's head to the checkpoint directory, and reads them back.</summary>
public sealed class AuditCheckpoints : IDisposable
{
    private const string Purpose = "certometer-audit-checkpoint/v1";

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly ECDsa _key;

    public AuditCheckpoints(IOptions<AuditCheckpointOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        Directory = Path.GetFullPath(options.Value.CheckpointDirectory, environment.ContentRootPath);
        _key = LoadPrivateKey(options.Value.CheckpointSigningKey);
    }

    /// <summary>The checkpoint directory, as an absolute path.</summary>
    public string Directory { get; }

    /// <summary>The newest checkpoint file, valid or not, or null when none has been written.</summary>
    public AuditCheckpointReading? ReadLast() => NewestFirst().Select(Read).FirstOrDefault();

    /// <summary>
    /// The newest checkpoint the current key signed: what the next one must extend. Older keys' checkpoints are passed
    /// over, so after a key rotation the first checkpoint is taken only once the whole chain has been verified again.
    /// </summary>
    internal AuditCheckpoint? LastSigned() => NewestFirst().Select(Read).FirstOrDefault(r => r.SignatureValid)?.Checkpoint;

    /// <summary>Signs <paramref name="checkpoint"/> and adds it as a new file; an existing file is never opened for writing.</summary>
    internal string Write(AuditCheckpoint checkpoint)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var signature = _key.SignData(SignedBytes(checkpoint), HashAlgorithmName.SHA256);
        var content = JsonSerializer.SerializeToUtf8Bytes(
            new CheckpointFile(checkpoint.Sequence, checkpoint.Hash, checkpoint.At, Convert.ToBase64String(signature)), FileJson);
        var name = string.Create(
            CultureInfo.InvariantCulture, $"{checkpoint.Sequence:D19}-{checkpoint.At.UtcDateTime:yyyyMMdd'T'HHmmssfffffff'Z'}.json");
        var path = Path.Combine(Directory, name);
        // Written whole under a name readers skip, then renamed into place: a verification never reads half a file.
        // CreateNew and a move that refuses to overwrite: a second instance checkpointing the same head at the same
        // instant fails here instead of replacing what the first wrote.
        var partial = path + ".partial";
        using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(content);
            file.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: false);
        return path;
    }

    /// <summary>What is signed: a purpose label no other signed message starts with, then the head and the time.</summary>
    internal static byte[] SignedBytes(AuditCheckpoint checkpoint) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{Purpose}\n{checkpoint.Sequence}\n{checkpoint.Hash}\n{checkpoint.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}"));

    internal static bool IsSigningKey(string? base64Der)
    {
        if (string.IsNullOrWhiteSpace(base64Der))
        {
            return false;
        }

        try
        {
            using var key = LoadPrivateKey(base64Der);
            return key.KeySize == 256;
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();

    private IEnumerable<string> NewestFirst() =>
        System.IO.Directory.Exists(Directory)
            // Names start with the zero-padded sequence, then the time: ordinal order is chain order.
            ? System.IO.Directory.EnumerateFiles(Directory, "*.json").OrderByDescending(Path.GetFileName, StringComparer.Ordinal)
            : [];

    private AuditCheckpointReading Read(string path)
    {
        var name = Path.GetFileName(path);
        try
        {
            var file = JsonSerializer.Deserialize<CheckpointFile>(File.ReadAllBytes(path), FileJson);
            if (file is null)
            {
                return new AuditCheckpointReading(name, null, false);
            }

            var checkpoint = new AuditCheckpoint(file.Sequence, file.Hash, file.At);
            var signature = new byte[file.Signature.Length];
            var valid = Convert.TryFromBase64String(file.Signature, signature, out var length)
                && _key.VerifyData(SignedBytes(checkpoint), signature.AsSpan(0, length), HashAlgorithmName.SHA256);
            return new AuditCheckpointReading(name, checkpoint, valid);
        }
        catch (Exception exception) when (exception is JsonException or IOException or NotSupportedException)
        {
            return new AuditCheckpointReading(name, null, false);
        }
    }

    private static ECDsa LoadPrivateKey(string base64Der)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(base64Der), out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private sealed record CheckpointFile(long Sequence, string Hash, DateTimeOffset At, string Signature);
}

/// <summary>Checkpoints the audit chain's head at every interval, after checking that the chain still extends the last checkpoint.</summary>
internal sealed class AuditCheckpointWriter(
    IServiceScopeFactory scopes,
    AuditChain chain,
    AuditCheckpoints checkpoints,
    IOptions<AuditCheckpointOptions> options,
    TimeProvider clock,
    ILogger<AuditCheckpointWriter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, clock);
        do
        {
            try
            {
                await CheckpointAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Could not write an audit checkpoint; the next interval tries again.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Writes a checkpoint of the head if it moved since the last one; never one over a chain that no longer verifies.</summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        var last = checkpoints.LastSigned();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrivacyRightsDbContext>();
        // A checkpoint covers every change committed before it was taken.
        await chain.SealPendingAsync(db, cancellationToken);
        var (whole, head) = await chain.VerifiedHeadAsync(db, last is null ? null : new AuditChainHead(last.Sequence, last.Hash), cancellationToken);
        if (!whole)
        {
            // Signing now would vouch for a cut or rewritten chain; the last good checkpoint must stay the newest.
            logger.LogCritical(
                "The audit chain no longer verifies from checkpoint {Sequence}; no checkpoint is written until it does. GET /api/privacy/audit/verify names the failure.",
                last?.Sequence ?? 0);
            return;
        }

        if (head is null || head.Sequence == last?.Sequence)
        {
            return;
        }

        var path = checkpoints.Write(new AuditCheckpoint(head.Sequence, head.Hash, StoredTime.Now(clock)));
        logger.LogInformation("Audit checkpoint {Sequence} written to {Path}.", head.Sequence, path);
    }
}
