using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Certometer.Auth;

/// <summary>
/// Refuses to start a service that has an endpoint without an explicit policy (<c>RequireAuthorization(policy)</c>)
/// or an explicit <c>AllowAnonymous()</c>, so opening an endpoint is always a visible decision in the code.
/// </summary>
/// <remarks>
/// Runs once the host has started: only then has the web host built the request pipeline and handed it every mapped
/// endpoint. The exception fails the host's start, so the process exits instead of serving.
/// </remarks>
internal sealed class EndpointPolicyAudit(EndpointDataSource endpoints) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var undeclared = endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => !DeclaresPolicy(endpoint))
            .Select(endpoint => endpoint.DisplayName ?? endpoint.RoutePattern.RawText)
            .ToList();

        if (undeclared.Count > 0)
        {
            throw new InvalidOperationException(
                "These endpoints neither name an authorization policy nor allow anonymous access on purpose: " +
                string.Join("; ", undeclared) + ". Add RequireAuthorization(PlatformPolicies.X) or AllowAnonymous().");
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool DeclaresPolicy(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null ||
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => !string.IsNullOrEmpty(data.Policy));
}
