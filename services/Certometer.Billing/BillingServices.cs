using Certometer.Billing.Gateway;
using Certometer.Billing.Invoices;
using Certometer.Billing.Orders;
using Certometer.Billing.Payments;
using Certometer.Billing.PersonalData;
using Certometer.Billing.PriceList;
using Certometer.Billing.Refunds;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Certometer.Billing;

/// <summary>Billing's own services, consumers and endpoints.</summary>
internal static class BillingServices
{
    public static IHostApplicationBuilder AddBilling(this IHostApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateDataAnnotations()
            .Validate(
                o => !o.UsesSandbox || development || o.AllowSandbox,
                "Billing:Gateway:Provider is Sandbox, which accepts any Luhn-valid card: outside Development configure a real payment gateway, or set Billing:Gateway:AllowSandbox=true for a test or staging environment.")
            .ValidateOnStart();
        builder.Services.AddOptions<InvoiceOptions>().BindConfiguration(InvoiceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ErasedBuyerOptions>().BindConfiguration(ErasedBuyerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<InvoiceOptions>, TaxRatesAreValid>();
        builder.Services.AddSingleton<SandboxConfirmations>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SandboxConfirmations>());
        builder.Services.AddHttpClient(nameof(SandboxConfirmations));
        builder.Services.AddSingleton<SandboxGateway>();
        builder.Services.AddSingleton<IPaymentGateway>(services => services.GetRequiredService<SandboxGateway>());
        builder.Services.AddScoped<PaymentOutcomes>();
        builder.Services.AddScoped<Checkout>();
        builder.Services.AddScoped<OrderRefunds>();
        builder.Services.AddHostedService<ErasedBuyerRefunds>();

        return builder;
    }

    public static IBusRegistrationConfigurator AddBillingConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CourseOfferedConsumer>();
        bus.AddConsumer<CourseRetiredConsumer>();
        return bus;
    }

    public static WebApplication MapBilling(this WebApplication app)
    {
        app.MapOrderEndpoints();
        app.MapPaymentEndpoints();
        app.MapRefundEndpoints();
        app.MapGatewayWebhooks();
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.UsesSandbox)
        {
            app.MapSandboxGateway();
        }

        return app;
    }

    private sealed class TaxRatesAreValid : IValidateOptions<InvoiceOptions>
    {
        public ValidateOptionsResult Validate(string? name, InvoiceOptions options)
        {
            var wrong = options.TaxRatesByCountry.Where(rate => !OrderRules.IsCountryCode(rate.Key) || rate.Value is < 0 or > 100).Select(rate => rate.Key).ToList();
            return wrong.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Billing:Invoices:TaxRatesByCountry has entries that are not a two-letter country with a rate of 0 to 100: {string.Join(", ", wrong)}.");
        }
    }
}
