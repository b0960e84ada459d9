using Certometer.Auth;
using Certometer.HolderContract;
using Certometer.Messaging;
using Certometer.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Certometer.Hosting;

/// <summary>The one way a Certometer service is composed, so every <c>Program.cs</c> reads the same.</summary>
public static class CertometerServiceComposition
{
    /// <summary>
    /// Service defaults, the service's database, platform authentication, its features, the holder contract answered
    /// by <typeparamref name="TSubjectData"/>, and the bus with the holder's consumers and the service's own, in that
    /// order: the holder subscribes to exactly the rights <typeparamref name="TSubjectData"/> implements.
    /// </summary>
    public static IHostApplicationBuilder AddCertometerService<TDbContext, TSubjectData>(this IHostApplicationBuilder builder, CertometerService service)
        where TDbContext : DbContext
        where TSubjectData : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(service);

        builder.AddServiceDefaults();
        builder.AddServiceDatabase<TDbContext>(service.Database);
        builder.AddPlatformAuthentication(service.Api, service.LocalTokenValidation);
        // Every service runs the same pipeline; only endpoints a service puts behind an abuse limit are limited.
        builder.Services.AddRateLimiter(_ => { });
        service.Features?.Invoke(builder);
        builder.AddPersonalDataHolder<TDbContext, TSubjectData>(service.PersonalData);
        builder.AddMessaging<TDbContext>(service.PersonalData.Service, bus =>
        {
            bus.AddPersonalDataHolderConsumers<TDbContext>();
            service.Consumers?.Invoke(bus);
        });
        return builder;
    }

    /// <summary>Health and OpenAPI endpoints, abuse limits, then authentication and authorisation; map the service's endpoints after it.</summary>
    public static WebApplication UseCertometerService(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapDefaultEndpoints();
        app.UseRateLimiter();
        app.UsePlatformAuthentication();
        return app;
    }
}
