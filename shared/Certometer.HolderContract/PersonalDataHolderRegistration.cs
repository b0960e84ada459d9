using Certometer.Auth;
using Certometer.HolderContract.Answers;
using Certometer.HolderContract.Commands;
using Certometer.HolderContract.Sealing;
using Certometer.HolderContract.Tombstones;
using Certometer.Messaging;
using Certometer.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Certometer.HolderContract;

/// <summary>Makes a service a personal-data holder: it declares its inventory and answers PrivacyRights' requests.</summary>
public static class PersonalDataHolderRegistration
{
    /// <summary>The rights a holder can implement; a service's subject-data type answers those it implements.</summary>
    private static readonly Type[] HolderRights =
        [typeof(ISubjectDataExporter), typeof(ISubjectDataEraser), typeof(IProcessingRestriction), typeof(ISubjectDataRectifier)];

    /// <summary>
    /// Declares <paramref name="inventory"/> and answers each right <typeparamref name="TSubjectData"/> implements with
    /// one scoped instance of it. Call after <c>AddServiceDatabase</c>, before <c>AddMessaging</c>.
    /// </summary>
    public static IHostApplicationBuilder AddPersonalDataHolder<TDbContext, TSubjectData>(this IHostApplicationBuilder builder, PersonalDataInventory inventory)
        where TDbContext : DbContext
        where TSubjectData : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var rights = HolderRights.Where(right => right.IsAssignableFrom(typeof(TSubjectData))).ToList();
        if (rights.Count == 0)
        {
            throw new InvalidOperationException($"{typeof(TSubjectData).Name} implements none of the holder rights ({string.Join(", ", HolderRights.Select(r => r.Name))}).");
        }

        builder.Services.AddScoped<TSubjectData>();
        foreach (var right in rights)
        {
            builder.Services.AddScoped(right, services => services.GetRequiredService<TSubjectData>());
        }

        return builder.AddPersonalDataHolder<TDbContext>(inventory);
    }

    /// <summary>Declares <paramref name="inventory"/> at start-up. Call after <c>AddServiceDatabase</c>, before <c>AddMessaging</c>.</summary>
    public static IHostApplicationBuilder AddPersonalDataHolder<TDbContext>(this IHostApplicationBuilder builder, PersonalDataInventory inventory)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(inventory);
        // Every holder has an outbox and parks the messages it fails to consume, so every holder holds copies of messages
        // and erases them the same way;
        // and every holder keeps tombstones of whom it erased, so nothing arriving later brings them back.
        inventory = inventory with { Categories = [.. inventory.Categories, SentEventCopies.Category, DeadLetterCopies.Category, ErasureTombstones.Category] };
        inventory.Validate();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(inventory);
        builder.Services.AddHostedService<InventoryDeclaration<TDbContext>>();
        AddErasureTombstones<TDbContext>(builder.Services);
        AddSealing(builder.Services);
        builder.Services.AddOptions<PrivacyCommandVerificationOptions>()
            .BindConfiguration(PrivacyCommandVerificationOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.PrivacyRightsPublicKey is null || EnvelopeSignature.Parses(o.PrivacyRightsPublicKey, isPrivate: false),
                "PersonalData:PrivacyRightsPublicKey is not an ECDSA P-256 public key (SubjectPublicKeyInfo DER, base64).")
            .ValidateOnStart();
        builder.Services.AddSingleton<PrivacyCommandVerifier>();
        AddAnswerSignatures(builder.Services);
        return builder;
    }

    /// <summary>
    /// Subscribes to PrivacyRights' requests to re-declare the inventory and, for each right the service has registered an implementation of
    /// (<see cref="ISubjectDataExporter"/>, <see cref="ISubjectDataEraser"/>, <see cref="IProcessingRestriction"/>,
    /// <see cref="ISubjectDataRectifier"/>). Register the implementations before calling <c>AddMessaging</c>.
    /// </summary>
    public static IBusRegistrationConfigurator AddPersonalDataHolderConsumers<TDbContext>(this IBusRegistrationConfigurator bus)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(bus);
        var service = bus.Select(descriptor => descriptor.ImplementationInstance).OfType<PersonalDataInventory>().SingleOrDefault()?.Service
            ?? throw new InvalidOperationException("Call AddPersonalDataHolder before AddPersonalDataHolderConsumers: the queues are named after the declared service.");
        bool Implements<TRight>() => bus.Any(descriptor => descriptor.ServiceType == typeof(TRight));

        // One queue per right, named for operators (e.g. billing-subject-erasure-requested): MassTransit would name
        // these generic consumers after their type argument and put them all on one queue, so a poison erasure
        // request would hold up every other right.
        void Add<TConsumer>(string request)
            where TConsumer : class, IConsumer =>
            bus.AddConsumer<TConsumer>().Endpoint(endpoint => endpoint.Name = $"{service}-{request}");

        // On every endpoint of the service, not only these: no consumer acts on an unsigned privacy command (Identity's
        // account lock included) nor on an answer its holder did not sign (PrivacyRights' workflow and registry), and
        // any consumer of a fact about an erased subject drops it; then personal values are opened, in that order, because
        // signatures cover the values as sealed.
        bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
        {
            endpoint.UseConsumeFilter(typeof(PrivacyCommandVerification<>), context);
            endpoint.UseConsumeFilter(typeof(HolderAnswerVerification<>), context);
            endpoint.UseConsumeFilter(typeof(ErasedSubjectFacts<>), context);
            endpoint.UseConsumeFilter(typeof(SealedValueOpening<>), context);
        });

        Add<PersonalDataInventoryRequestedConsumer<TDbContext>>("personal-data-inventory-requested");

        if (Implements<ISubjectDataExporter>())
        {
            Add<SubjectDataExportRequestedConsumer<TDbContext>>("subject-data-export-requested");
        }

        if (Implements<ISubjectDataEraser>())
        {
            Add<SubjectErasureRequestedConsumer<TDbContext>>("subject-erasure-requested");
        }

        if (Implements<IProcessingRestriction>())
        {
            Add<ProcessingRestrictionRequestedConsumer<TDbContext>>("processing-restriction-requested");
            Add<ProcessingRestrictionLiftRequestedConsumer<TDbContext>>("processing-restriction-lift-requested");
        }

        if (Implements<ISubjectDataRectifier>())
        {
            Add<SubjectDataRectifiedConsumer<TDbContext>>("subject-data-rectified");
        }

        return bus;
    }

    /// <summary>
    /// Every holder signs its own answers (<c>PersonalData:AnswerSigningKey</c>, required) and checks the answers it
    /// consumes against the holders' public keys (<c>PrivacyRights:HolderKeys</c>; only PrivacyRights consumes answers, and
    /// a service without keys refuses them all).
    /// </summary>
    private static void AddAnswerSignatures(IServiceCollection services)
    {
        services.AddOptions<HolderAnswerSigningOptions>()
            .BindConfiguration(HolderAnswerSigningOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.AnswerSigningKey is null || EnvelopeSignature.Parses(o.AnswerSigningKey, isPrivate: true),
                "PersonalData:AnswerSigningKey is not an ECDSA P-256 private key (PKCS#8 DER, base64).")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutgoingMessageStamp, HolderAnswerSigner>());
        services.AddOptions<HolderAnswerVerificationOptions>()
            .BindConfiguration(HolderAnswerVerificationOptions.SectionName)
            .Validate(
                o => o.HolderKeys.Values.All(key => EnvelopeSignature.Parses(key, isPrivate: false)),
                "Every PrivacyRights:HolderKeys:<service> must be an ECDSA P-256 public key (SubjectPublicKeyInfo DER, base64).")
            .ValidateOnStart();
        services.AddSingleton<HolderAnswerVerifier>();
    }

    /// <summary>
    /// Every holder seals the personal values of the events it publishes and opens those of the events it consumes, with
    /// keys from PrivacyRights (<see cref="RemoteSubjectKeyring"/>), unless the service registered its own keyring first:
    /// PrivacyRights, which keeps the keys.
    /// </summary>
    private static void AddSealing(IServiceCollection services)
    {
        services.AddOptions<SubjectKeyringOptions>()
            .BindConfiguration(SubjectKeyringOptions.SectionName)
            .ValidateDataAnnotations();
        services.AddHttpClient(RemoteSubjectKeyring.HttpClientName);
        services.TryAddSingleton<ISubjectKeyring, RemoteSubjectKeyring>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutboxPayloadSealer, OutboxSealing>());
    }

    private static void AddErasureTombstones<TDbContext>(IServiceCollection services)
        where TDbContext : DbContext
    {
        services.AddOptions<ErasureTombstoneOptions>()
            .BindConfiguration(ErasureTombstoneOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ErasureTombstones>();
        services.AddSingleton<ErasedSubjectMetrics>();
        services.AddHttpContextAccessor();
        services.AddSingleton<IInterceptor, ErasedSubjectGuard>();
        services.AddScoped<ISubjectAdmission, ErasedSubjectAdmission<TDbContext>>();
        services.AddExceptionHandler<ErasedSubjectProblems>();
    }

    /// <summary>
    /// Signs every privacy command this service publishes (<see cref="PrivacyCommandSigner"/>). PrivacyRights calls it;
    /// so do tests that play PrivacyRights. Needs <c>PrivacyRights:CommandSigningKey</c>.
    /// </summary>
    public static IServiceCollection AddPrivacyCommandSigning(this IServiceCollection services)
    {
        services.AddOptions<PrivacyCommandSigningOptions>()
            .BindConfiguration(PrivacyCommandSigningOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                o => o.CommandSigningKey is null || EnvelopeSignature.Parses(o.CommandSigningKey, isPrivate: true),
                "PrivacyRights:CommandSigningKey is not an ECDSA P-256 private key (PKCS#8 DER, base64).")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutgoingMessageStamp, PrivacyCommandSigner>());
        return services;
    }
}
