using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Certometer.PrivacyRights.Portability;

/// <summary>Options, the vetted HTTP client and <see cref="PortabilityDelivery"/>, with one call.</summary>
internal static class PortabilityRegistration
{
    public static IHostApplicationBuilder AddPortabilityDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortabilityDeliveryOptions>()
            .BindConfiguration(PortabilityDeliveryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PortabilityDeliveryOptions>, PortabilityDeliveryOptionsValidation>();
        builder.Services.AddSingleton<DeliveryTargetPolicy>();
        builder.Services.AddSingleton<VettedConnections>();
        builder.Services.AddSingleton<PortabilityDelivery>();

        builder.Services.AddHttpClient(PortabilityDelivery.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            // Whatever ConfigureHttpClientDefaults added is wrong for a target chosen by a requester: service discovery
            // could turn a name into an internal service's address, the standard retry repeats POSTs without a key,
            // and its shared circuit breaker would let one failing receiver block deliveries to every other.
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear())
            // The default request logs carry the target's path; PortabilityDelivery logs the host only.
            .RemoveAllLoggers()
            .AddResilienceHandler("portability-delivery", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<PortabilityDeliveryOptions>>().Value;
                if (settings.MaxAttempts > 1)
                {
                    // Retrying a POST is safe only because every attempt carries the same Idempotency-Key.
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.MaxAttempts - 1,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromSeconds(1),
                        MaxDelay = settings.AttemptTimeout,
                        ShouldHandle = args => ValueTask.FromResult(IsWorthRetrying(args.Outcome)),
                    });
                }

                pipeline.AddTimeout(settings.AttemptTimeout);
            });
        return builder;
    }

    private static SocketsHttpHandler CreateHandler(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<PortabilityDeliveryOptions>>().Value;
        return new SocketsHttpHandler
        {
            ConnectCallback = services.GetRequiredService<VettedConnections>().ConnectAsync,
            ConnectTimeout = settings.ConnectTimeout,
            AllowAutoRedirect = false,
            // Through a proxy the vetted address would be the proxy's, and the proxy would reach anything for us.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = 32,
            // Another organisation has no business with our trace ids or baggage. A no-output propagator is not enough:
            // OpenTelemetry's HttpClient instrumentation injects its own headers into every request span, so this
            // client has no request span at all (its metrics remain, and PortabilityDelivery logs each outcome).
            ActivityHeadersPropagator = null,
        };
    }

    // A refused destination or a certificate that is not trusted will not change on the next attempt.
    private static bool IsWorthRetrying(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception switch
        {
            HttpRequestException { InnerException: DestinationRefusedException } => false,
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => false,
            _ => HttpClientResiliencePredicates.IsTransient(outcome),
        };

    private sealed class PortabilityDeliveryOptionsValidation(IHostEnvironment environment) : IValidateOptions<PortabilityDeliveryOptions>
    {
        private static readonly string[] TestingEnvironments = ["Test", "Testing"];

        public ValidateOptionsResult Validate(string? name, PortabilityDeliveryOptions options)
        {
            var failures = new List<string>();
            if (options.AllowLoopbackForTesting
                && !environment.IsDevelopment()
                && !TestingEnvironments.Any(environment.IsEnvironment))
            {
                failures.Add($"PrivacyRights:Portability:AllowLoopbackForTesting is allowed only in Development or Test environments, not in {environment.EnvironmentName}: it would let a delivery reach services on this host.");
            }

            if (options.AllowedPorts.Any(port => port is < 1 or > 65535))
            {
                failures.Add("PrivacyRights:Portability:AllowedPorts must hold port numbers from 1 to 65535.");
            }

            if (options.AttemptTimeout > options.Timeout)
            {
                failures.Add("PrivacyRights:Portability:AttemptTimeout must not exceed PrivacyRights:Portability:Timeout.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
