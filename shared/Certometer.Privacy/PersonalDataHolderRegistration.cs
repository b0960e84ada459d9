using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Certometer.Privacy;

/// <summary>Makes a service a personal-data holder: it declares its inventory and answers PrivacyRights' requests.</summary>
public static class PersonalDataHolderRegistration
{
    /// <summary>Declares <paramref name="inventory"/> at start-up. Call after <c>AddServiceDatabase</c>, before <c>AddMessaging</c>.</summary>
    public static IHostApplicationBuilder AddPersonalDataHolder<TDbContext>(this IHostApplicationBuilder builder, PersonalDataInventory inventory)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(inventory);
        inventory.Validate();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(inventory);
        builder.Services.AddHostedService<InventoryDeclaration<TDbContext>>();
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
        bool Implements<TRight>() => bus.Any(descriptor => descriptor.ServiceType == typeof(TRight));

        bus.AddConsumer<PersonalDataInventoryRequestedConsumer<TDbContext>>();

        if (Implements<ISubjectDataExporter>())
        {
            bus.AddConsumer<SubjectDataExportRequestedConsumer<TDbContext>>();
        }

        if (Implements<ISubjectDataEraser>())
        {
            bus.AddConsumer<SubjectErasureRequestedConsumer<TDbContext>>();
        }

        if (Implements<IProcessingRestriction>())
        {
            bus.AddConsumer<ProcessingRestrictionRequestedConsumer<TDbContext>>();
            bus.AddConsumer<ProcessingRestrictionLiftRequestedConsumer<TDbContext>>();
        }

        if (Implements<ISubjectDataRectifier>())
        {
            bus.AddConsumer<SubjectDataRectifiedConsumer<TDbContext>>();
        }

        return bus;
    }
}
