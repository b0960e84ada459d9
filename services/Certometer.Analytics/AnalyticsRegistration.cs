using Certometer.Analytics.Collection;
using Certometer.Analytics.Ingestion;
using Certometer.Analytics.PersonalData;
using Certometer.Analytics.Pseudonymity;
using Certometer.Analytics.Reports;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Certometer.Analytics;

/// <summary>The Analytics service's own parts: pseudonyms, coarse location, ingestion, reports, retention, the events it consumes and its endpoints.</summary>
internal static class AnalyticsRegistration
{
    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        Pseudonyms.AddPseudonyms(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ReportOptions>().BindConfiguration(ReportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<CoarseLocationOptions>().BindConfiguration(CoarseLocationOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CoarseLocationOptions>, CoarseLocationOptionsValidation>();
        // Production replaces this with a GeoIP-backed ICoarseLocation registered before this call.
        builder.Services.TryAddSingleton<ICoarseLocation, CidrRegionTable>();
        builder.Services.AddScoped<UsageRecorder>();

        builder.Services.AddHostedService<Retention>();
        return builder;
    }

    public static IBusRegistrationConfigurator AddAnalyticsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ConsentsInForceConsumer>();
        return bus;
    }

    public static IEndpointRouteBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapIngestionEndpoints();
        app.MapReportEndpoints();
        return app;
    }
}
