using Certometer.Catalog.Certificates;
using Certometer.Catalog.Courses;
using Certometer.Catalog.Enrollments;
using Certometer.Catalog.Learners;
using Certometer.HolderContract;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Certometer.Catalog;

/// <summary>Catalog's own services, consumers and endpoint groups, so Program.cs reads as the outline.</summary>
internal static class CatalogRegistration
{
    /// <summary>The holder rights Catalog answers; call before <c>AddMessaging</c>, which subscribes exactly to these.</summary>
    public static IHostApplicationBuilder AddCatalogSubjectData(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static IBusRegistrationConfigurator AddCatalogConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PaymentSucceededConsumer>();
        bus.AddConsumer<PaymentRefundedConsumer>();
        bus.AddConsumer<LearnerRegisteredConsumer>();
        return bus;
    }

    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapCourseBrowsing();
        app.MapCourseEditing();
        app.MapLearningEndpoints();
        app.MapCertificateEndpoints();
        return app;
    }
}
