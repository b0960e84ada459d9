using System.Security.Cryptography;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract;
using Certometer.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Certometer.TestInfrastructure;

/// <summary>
/// Signs each answer a test publishes in another service's name (a stand-in holder's receipt, Identity's account lock,
/// Notifications' notice) with <see cref="RunningService.StandInSigningKey"/>, as that service would sign it with its own.
/// </summary>
/// <remarks>
/// The service's own answers are left to its own signer, and a signature a test set itself (a forgery) is left alone.
/// </remarks>
public sealed class StandInAnswerSigning(PersonalDataInventory inventory) : IOutgoingMessageStamp, IDisposable
{
    private readonly ECDsa _key = EnvelopeSignature.LoadKey(RunningService.StandInSigningKey, isPrivate: true);

    public void Stamp<TMessage>(PublishContext<TMessage> context)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message is not IPrivacyAnswer answer
            || answer.Service == inventory.Service
            || context.Headers.TryGetHeader(EnvelopeSignature.Header, out _))
        {
            return;
        }

        context.Headers.Set(EnvelopeSignature.Header, EnvelopeSignature.Sign(_key, context.Message));
        context.Headers.Set(EnvelopeSignature.SignerHeader, answer.Service);
    }

    public void Dispose() => _key.Dispose();
}

public static class StandInAnswerSigningRegistration
{
    /// <summary>Lets a test host publish answers as the other services would sign them (<see cref="StandInAnswerSigning"/>).</summary>
    public static IServiceCollection AddStandInAnswerSigning(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutgoingMessageStamp, StandInAnswerSigning>());
        return services;
    }
}
