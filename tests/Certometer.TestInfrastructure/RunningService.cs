using Certometer.HolderContract;
using Certometer.HolderContract.Sealing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Certometer.TestInfrastructure;

/// <summary>Starts a real service in-process on the given database and broker, ready for tests to publish to.</summary>
public static class RunningService
{
    /// <summary>The erasure tombstones' key every test host uses (a service refuses to start without one outside Development).</summary>
    public const string TombstoneKey = "test-tombstone-key-0123456789abcdef0123456789";

    /// <summary>The test stand-in for PrivacyRights' command-signing key pair (ECDSA P-256): private PKCS#8, public SPKI, base64.</summary>
    public const string PrivacyRightsSigningKey = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgP5Ng465RJRjbb3U19NSCy9bQCD8Zj7Be78+ioINKDt+hRANCAAT9oUy0UjGjKYr9A+9ieX678JOmRQmTcy5Tg/dfWQVxuEFFuuIrgE5CGvbdpvPuU3ptcPBberiTcR7pp9WsDD6I";

    public const string PrivacyRightsPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE/aFMtFIxoymK/QPvYnl+u/CTpkUJk3MuU4P3X1kFcbhBRbriK4BOQhr23abz7lN6bXDwW3q4k3Ee6afVrAw+iA==";

    /// <summary>A key pair PrivacyRights never had: what a forger would sign with.</summary>
    public const string ForgerSigningKey = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDRb1Of4i6YJXVI8JFTBClJDKjZ73c1Ag4zlPY0RzacChRANCAAS/uYR4DGQBK7m0P5JTaSYbTPKDr+9bdpmXEGtRibeHeuU+UX4wV1LAzTBKPOjQ7SPc3TJwpBT6lp0g3XrFI9XT";

    /// <summary>
    /// The test stand-in for the answer-signing key pair of the service under test (ECDSA P-256): private PKCS#8,
    /// public SPKI, base64. Every service under test signs its own answers with it.
    /// </summary>
    public const string HolderSigningKey = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZFifWmTZw0fQqp83N1yXp4652MeiuZ2tQEGWQdDUZsChRANCAAQm/7UPjF/NhCbxmTvUfYOAmhYv3eHHKB38+o5nEvR/yEDrghweFVDPjXMbn4sMgPMPyAes4KBkJ2SJM80Gh3uc";

    public const string HolderPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJv+1D4xfzYQm8Zk71H2DgJoWL93hxygd/PqOZxL0f8hA64IcHhVQz41zG5+LDIDzD8gHrOCgZCdkiTPNBod7nA==";

    /// <summary>
    /// The key pair of every service a test plays (a stand-in holder, Identity, Notifications), distinct from the
    /// service under test's: <see cref="StandInAnswerSigning"/> signs with it.
    /// </summary>
    public const string StandInSigningKey = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjNULooP8aB1KVEjK/G2LW1QAlrOdCHCLC59+aYWnJjehRANCAAQ8p1lidDI5ezHWBnkQwPbro4wM5MwuyCba19zC9U/HnkJOiLR9ibXkIea0+iGpVDxhRkcR6ZpNC919gd9bJ/gu";

    public const string StandInPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPKdZYnQyOXsx1gZ5EMD266OMDOTMLsgm2tfcwvVPx55CToi0fYm15CHmtPohqVQ8YUZHEemaTQvdfYHfWyf4Lg==";

    /// <summary>The master key PrivacyRights under test wraps subject keys with (256-bit AES, base64).</summary>
    public const string SubjectKeyMasterKey = "dGVzdC1zdWJqZWN0LWtleS1tYXN0ZXIta2V5LTMyYiE=";

    public static async Task<WebApplicationFactory<TProgram>> StartAsync<TProgram>(
        string environment, string connectionName, string database, string broker, Action<IWebHostBuilder>? configure = null)
        where TProgram : class
    {
        var factory = new WebApplicationFactory<TProgram>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(environment)
                .UseSetting($"ConnectionStrings:{connectionName}", database)
                .UseSetting("ConnectionStrings:messaging", broker)
                .UseSetting("PersonalData:TombstoneKey", TombstoneKey)
                .UseSetting("PersonalData:PrivacyRightsPublicKey", PrivacyRightsPublicKey)
                .UseSetting("PrivacyRights:CommandSigningKey", PrivacyRightsSigningKey)
                .UseSetting("PersonalData:AnswerSigningKey", HolderSigningKey)
                .UseSetting("PrivacyRights:SubjectKeys:CurrentMasterKey", "test-1")
                .UseSetting("PrivacyRights:SubjectKeys:MasterKeys:test-1", SubjectKeyMasterKey)
                // Services other than PrivacyRights get their subject keys from it; here from the shared test keyring.
                .ConfigureTestServices(services =>
                {
                    if (services.Any(descriptor => descriptor.ServiceType == typeof(ISubjectKeyring) && descriptor.ImplementationType == typeof(RemoteSubjectKeyring)))
                    {
                        services.Replace(ServiceDescriptor.Singleton<ISubjectKeyring>(TestSubjectKeyring.Shared));
                    }
                })
                // Tests publish privacy commands through the service's own bus, playing PrivacyRights, and answers,
                // playing other holders: they sign them as those would.
                .ConfigureServices(services => services
                    .AddPrivacyCommandSigning()
                    .AddStandInAnswerSigning()
                    .AddSingleton(new ConsumedMessages(TimeSpan.FromSeconds(30)))
                    .AddConsumeObserver(provider => provider.GetRequiredService<ConsumedMessages>()));
            configure?.Invoke(host);
        });

        // Creating a client starts the host: migrations, the inventory declaration, the dispatcher and the bus.
        factory.CreateClient().Dispose();

        // Tests publish straight to the broker; before the service's queues are bound, the broker would drop that.
        var health = await factory.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
        {
            await factory.DisposeAsync();
            throw new InvalidOperationException($"The {typeof(TProgram).Assembly.GetName().Name} bus did not become healthy ({health}).");
        }

        return factory;
    }

    /// <summary>
    /// Publishes <paramref name="message"/> as another service would and waits until the service's consumers have finished
    /// with it, whether they applied it or deliberately dropped it.
    /// </summary>
    public static async Task DeliverAsync<TProgram, TMessage>(this WebApplicationFactory<TProgram> service, TMessage message, CancellationToken cancellationToken)
        where TProgram : class
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(service);
        var id = Guid.NewGuid();
        await service.Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = id, cancellationToken);
        await service.Services.GetRequiredService<ConsumedMessages>().WaitAsync(id, 1, cancellationToken);
    }
}
