using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

[assembly: AssemblyFixture(typeof(Certometer.PrivacyRights.Tests.PrivacyRightsService))]

namespace Certometer.PrivacyRights.Tests;

/// <summary>The real PrivacyRights service with its production workflow settings (a day's cooling-off, minutes of patience).</summary>
public sealed class PrivacyRightsService : PrivacyRightsHost
{
    /// <summary>The stand-in holder whose declarations the inventory tests send.</summary>
    public const string StandInHolder = "inventory-holder";

    protected override void ConfigureHost(IWebHostBuilder host) => TrustStandIns(host, StandInHolder);
}

/// <summary>The real PrivacyRights service, hosted in-process on its own real PostgreSQL and RabbitMQ containers.</summary>
public abstract class PrivacyRightsHost : IAsyncLifetime
{
    private readonly PostgreSqlContainer _postgres = InfrastructureContainers.Postgres();
    private readonly RabbitMqContainer _broker = InfrastructureContainers.RabbitMq();
    private WebApplicationFactory<Program>? _factory;

    /// <summary>Test-only key; tests recompute pseudonyms with it to prove entries belong to a subject without naming them.</summary>
    public const string AuditKey = "test-only-audit-key-0123456789abcdef0123456789";

    /// <summary>Test-only key for the audit chain's HMAC: base64 of 32 bytes.</summary>
    public const string AuditChainKey = "swcoDOblKh8fusVHrjQ6ONxrspagesurc9z7H8rpWVs=";

    /// <summary>Test-only ECDSA P-256 key (PKCS#8, base64) that signs audit checkpoints.</summary>
    public const string CheckpointSigningKey = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggfm/JU/fqm3TPWBpuFu4dyPbO8X6FhNrCVtjrPiTqvehRANCAAR/2AZI1G0TB1HApNrSm8OVcTRYsllD541ccEjp0oImlkho+CTKwNQdvxAoMJG42Db0ufiPF+1cqweBnPSKxa54";

    /// <summary>PrivacyRights' own name as a holder: it answers its own requests, signed with the service under test's key.</summary>
    public const string PrivacyRightsHolder = "privacy-rights";

    /// <summary>The main host's own database, for scans that prove what it no longer holds.</summary>
    public string DatabaseConnectionString { get; private set; } = "";

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    /// <summary>Receives, on the real broker, what PrivacyRights asks of Identity.</summary>
    public IdentityStandIn Identity { get; private set; } = null!;

    /// <summary>A client calling as <paramref name="subjectId"/> with <paramref name="role"/>, as Identity would issue the token.</summary>
    public HttpClient ClientFor(Guid subjectId, string role = "learner")
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.ForPerson(subjectId, role, "privacy", "urn:certometer:privacy"));
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.StartAsync(), _broker.StartAsync());
        // Every test comes from the same (test server) address; the limit has its own test with its own host.
        _factory = await StartAsync(host =>
        {
            host.UseSetting("PrivacyRights:Verification:AbuseLimit:PermitLimit", "10000");
            ConfigureHost(host);
        });
        Identity = await IdentityStandIn.ConnectAsync(_factory.Services);
        await StartedAsync();
    }

    /// <summary>Another PrivacyRights host on its own database and broker virtual host, for tests that need different settings.</summary>
    public async Task<WebApplicationFactory<Program>> StartAsync(Action<IWebHostBuilder> configure)
    {
        var database = await _postgres.CreateDatabaseAsync("privacy");
        var broker = _factory is null ? _broker.GetConnectionString() : await _broker.CreateVirtualHostAsync("privacy");
        if (_factory is null)
        {
            DatabaseConnectionString = database;
        }

        return await RunningService.StartAsync<Program>(
            "Test", "privacydb", database, broker, host =>
            {
                host.UseTestIssuer()
                    .UseSetting("PrivacyRights:AuditKey", AuditKey)
                    .UseSetting("PrivacyRights:AuditChainKey", AuditChainKey)
                    .UseSetting("PrivacyRights:Audit:CheckpointSigningKey", CheckpointSigningKey)
                    // Each host its own directory, as each has its own database: checkpoints belong to one chain.
                    .UseSetting("PrivacyRights:Audit:CheckpointDirectory", Directory.CreateTempSubdirectory("privacy-checkpoints-").FullName)
                    .UseSetting("PrivacyRights:Audit:CheckpointInterval", "00:00:00.5")
                    .UseSetting($"PrivacyRights:HolderKeys:{PrivacyRightsHolder}", RunningService.HolderPublicKey);
                // The tests play Identity and Notifications whenever they answer for them.
                TrustStandIns(host, AccountLocked.Locker, PrivacyNoticeDelivered.Sender);
                configure(host);
            });
    }

    /// <summary>
    /// Gives PrivacyRights the public key of services a test plays (<see cref="StandInAnswerSigning"/>), as the AppHost
    /// gives it every holder's: without it, their answers would be refused.
    /// </summary>
    protected static void TrustStandIns(IWebHostBuilder host, params IEnumerable<string> services)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (var service in services)
        {
            host.UseSetting($"PrivacyRights:HolderKeys:{service}", RunningService.StandInPublicKey);
        }
    }

    /// <summary>Settings a derived host changes, e.g. the workflow's timings.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder host)
    {
    }

    /// <summary>Runs once the service is up, before any test.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        await _broker.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
