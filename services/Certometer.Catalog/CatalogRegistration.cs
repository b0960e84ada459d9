using Certometer.Catalog.Certificates;
using Certometer.Catalog.Courses;
using Certometer.Catalog.Enrollments;
using Certometer.Catalog.Learners;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Certometer.Catalog;

/// <summary>Catalog's own services, consumers and endpoint groups, so Program.cs reads as the outline.</summary>
internal static class CatalogRegistration
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
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
