using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Certometer.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

[assembly: AssemblyFixture(typeof(Certometer.EndToEnd.Tests.StackFixture))]

namespace Certometer.EndToEnd.Tests;

/// <summary>The whole AppHost, started once for the end-to-end tests: real PostgreSQL, real RabbitMQ, all six services.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    /// <summary>
    /// Every end-to-end test's limit (ms): a test that hangs (a message that never comes) fails with its name and
    /// cancels its token instead of holding the whole run until CI's limit. Ten times the slowest test on a busy machine.
    /// </summary>
    public const int TestTimeout = 10 * 60 * 1000;

    public static readonly string[] Services = ["identity", "catalog", "billing", "notifications", "analytics", "privacy-rights"];

    /// <summary>The scope and audience of each service's API.</summary>
    public static readonly IReadOnlyDictionary<string, (string Scope, string Audience)> Apis = new Dictionary<string, (string, string)>
    {
        ["identity"] = ("account", "urn:certometer:account"),
        ["catalog"] = ("catalog", "urn:certometer:catalog"),
        ["billing"] = ("billing", "urn:certometer:billing"),
        ["notifications"] = ("notifications", "urn:certometer:notifications"),
        ["analytics"] = ("analytics", "urn:certometer:analytics"),
        ["privacy-rights"] = ("privacy", "urn:certometer:privacy"),
    };

    private DistributedApplication? _app;
    private readonly SemaphoreSlim _callersGate = new(1, 1);
    private IReadOnlyDictionary<Caller, ApiTokens?>? _callers;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack has not started.");

    /// <summary>Every log line and telemetry export the six services produce during the run.</summary>
    public TelemetrySink Telemetry { get; } = new();

    public async ValueTask InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Certometer_AppHost>(
            // A throwaway stack: no named volumes to mix with an operator's data, no fixed ports to collide with a running stack.
            ["Infrastructure:PersistData=false", "Infrastructure:FixedPorts=false"],
            (options, _) => options.DisableDashboard = true,
            startup.Token);
        await Telemetry.StartAsync();
        foreach (var service in Services)
        {
            Telemetry.Receive(builder.CreateResourceBuilder<ProjectResource>(service));
        }

        // Every test registers from the same loopback address; the per-address limits have their own tests in Identity's suite.
        builder.CreateResourceBuilder<ProjectResource>("identity")
            .WithEnvironment("Identity__AbuseLimits__Registration__PermitLimit", "1000")
            .WithEnvironment("Identity__AbuseLimits__SignIn__PermitLimit", "1000")
            .WithEnvironment("Identity__AbuseLimits__Token__PermitLimit", "1000")
            .WithEnvironment("Identity__AbuseLimits__EmailConfirmation__PermitLimit", "1000")
            // The product configures no service client; the authorization matrix needs one to show what such a token may call.
            .WithEnvironment("Identity__Clients__2__ClientId", Accounts.ServiceClientId)
            .WithEnvironment("Identity__Clients__2__DisplayName", "End-to-end tests' service client")
            .WithEnvironment("Identity__Clients__2__ClientSecret", Accounts.ServiceClientSecret)
            .WithEnvironment("Identity__Clients__2__Scopes__0", "account")
            .WithEnvironment("Identity__Clients__2__Scopes__1", "catalog")
            .WithEnvironment("Identity__Clients__2__Scopes__2", "billing")
            .WithEnvironment("Identity__Clients__2__Scopes__3", "notifications")
            .WithEnvironment("Identity__Clients__2__Scopes__4", "analytics")
            .WithEnvironment("Identity__Clients__2__Scopes__5", "privacy");
        // Erasures start at approval and silent holders are asked again within seconds, so a test sees the whole workflow.
        builder.CreateResourceBuilder<ProjectResource>("privacy-rights")
            .WithEnvironment("PrivacyRights__Workflow__ErasureCoolingOff", "00:00:00")
            .WithEnvironment("PrivacyRights__Workflow__AnswerTimeout", "00:00:05")
            // The fault tests stop a holder for tens of seconds; a back-off growing past that would only slow them down.
            .WithEnvironment("PrivacyRights__Workflow__MaxAnswerTimeout", "00:00:10")
            .WithEnvironment("PrivacyRights__Workflow__ClockInterval", "00:00:00.5")
            .WithEnvironment("PrivacyRights__Verification__AbuseLimit__PermitLimit", "1000");
        _app = await builder.BuildAsync(startup.Token);
        await _app.StartAsync(startup.Token);
        Telemetry.WatchConsoles(_app, Services);
        await Task.WhenAll(Services.Select(service => _app.ResourceNotifications.WaitForResourceHealthyAsync(service, startup.Token)));
    }

    /// <summary>Each kind of caller's tokens, one per API (null for anonymous); made once per run.</summary>
    public async Task<IReadOnlyDictionary<Caller, ApiTokens?>> CallersAsync(CancellationToken cancellationToken)
    {
        await _callersGate.WaitAsync(cancellationToken);
        try
        {
            if (_callers is null)
            {
                var learner = await App.RegisterLearnerAsync(cancellationToken);
                _callers = new Dictionary<Caller, ApiTokens?>
                {
                    [Caller.Anonymous] = null,
                    [Caller.Learner] = await App.SignInAsync(learner.Email, learner.Password, cancellationToken),
                    [Caller.ComplianceOfficer] = await App.SignInAsync(Accounts.ComplianceEmail, Accounts.CompliancePassword, cancellationToken),
                    [Caller.Operator] = await App.SignInAsync(Accounts.OperatorEmail, Accounts.OperatorPassword, cancellationToken),
                    [Caller.Service] = await App.ServiceTokensAsync(cancellationToken),
                };
            }

            return _callers;
        }
        finally
        {
            _callersGate.Release();
        }
    }

    /// <summary>The Docker container id of <paramref name="resource"/>, once it runs, for <see cref="DockerContainers"/>.</summary>
    public async Task<string> ContainerIdAsync(string resource, CancellationToken cancellationToken)
    {
        var running = await App.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Properties.Any(p => p.Name == "container.id" && p.Value is string { Length: > 0 }), cancellationToken);
        return (string)running.Snapshot.Properties.First(p => p.Name == "container.id").Value!;
    }

    /// <summary>
    /// The environment variable <paramref name="name"/> as the AppHost gives it to <paramref name="resource"/>: what an
    /// attacker who read that service's environment would have, or what a test needs to act as that service.
    /// </summary>
    public async Task<string> SettingOfAsync(string resource, string name, CancellationToken cancellationToken)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var project = model.Resources.OfType<ProjectResource>().Single(candidate => candidate.Name == resource);
        var configuration = await ExecutionConfigurationBuilder.Create(project)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(App.Services.GetRequiredService<DistributedApplicationExecutionContext>(), NullLogger.Instance, cancellationToken);
        return configuration.EnvironmentVariables.Single(variable => variable.Key == name).Value;
    }

    public async ValueTask DisposeAsync()
    {
        _callersGate.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Telemetry.DisposeAsync();
    }
}
