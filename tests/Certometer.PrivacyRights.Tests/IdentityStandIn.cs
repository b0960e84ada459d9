using System.Collections.Concurrent;
using Certometer.Contracts.Privacy;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Certometer.PrivacyRights.Tests;

/// <summary>
/// Plays Identity's side of the lookup on the real broker: receives what PrivacyRights publishes for Identity, which is
/// the only place the plain code travels (the outbox forgets it once sent), so tests can answer as Identity would.
/// </summary>
public sealed class IdentityStandIn
{
    private readonly ConcurrentDictionary<Guid, PrivacyRequestVerificationRequested> _lookups = new();

    public static async Task<IdentityStandIn> ConnectAsync(IServiceProvider services)
    {
        var standIn = new IdentityStandIn();
        var handle = services.GetRequiredService<IReceiveEndpointConnector>().ConnectReceiveEndpoint(
            "privacy-tests-identity-stand-in",
            (_, endpoint) => endpoint.Handler<PrivacyRequestVerificationRequested>(context =>
            {
                standIn._lookups[context.Message.VerificationId] = context.Message;
                return Task.CompletedTask;
            }));
        await handle.Ready;
        return standIn;
    }

    /// <summary>The lookup PrivacyRights published for a verification, once it has arrived.</summary>
    public Task<PrivacyRequestVerificationRequested> LookupAsync(Guid verificationId) => Eventually.ValueAsync(
        () => Task.FromResult(_lookups.GetValueOrDefault(verificationId)),
        $"the lookup for verification {verificationId} reached the broker",
        TimeSpan.FromSeconds(30),
        TestContext.Current.CancellationToken);
}
