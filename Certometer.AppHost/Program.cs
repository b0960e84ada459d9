using Certometer.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var infrastructure = InfrastructureSettings.From(builder.Configuration);
var holders = new List<string>();
var services = new List<IResourceBuilder<ProjectResource>>();
var answerKeys = HolderAnswerKeys.For(infrastructure);

// Infrastructure: one PostgreSQL server with a database per service, one RabbitMQ broker. Both are reached on the
// ports Docker publishes, without Aspire's proxy in front: every query and every message crossed two user-space
// relays (DCP's and Docker's), which cost a fifth of the machine's CPU in a burst of erasures (bench/erasure-fanout.md).
// The server allows room for every service's bounded pool (20 each, ServiceDatabase.DefaultMaxPoolSize) and operators'
// sessions; its default of 100 refused connections under load, each refusal a forked backend, a handshake and a retry.
var postgres = builder.AddPostgres("postgres")
    .WithArgs("-c", "max_connections=300")
    .WithEndpointProxySupport(false)
    .WithInfrastructureImage(infrastructure.PostgresImage, infrastructure)
    .WithNamedDataVolume("certometer-postgres-data", infrastructure);

var messaging = builder.AddRabbitMQ("messaging")
    .WithManagementPlugin(port: infrastructure.FixedPorts ? 15672 : null)
    .WithEndpointProxySupport(false)
    .WithInfrastructureImage(infrastructure.RabbitMqImage, infrastructure)
    .WithNamedDataVolume("certometer-rabbitmq-data", infrastructure);

// A local SMTP server with a web inbox (smtp4dev, a .NET tool of this repository): every email the stack sends lands
// there, so an operator can read it. Production points Notifications' Smtp settings at a real relay instead.
var mail = builder.AddExecutable("mail", "dotnet", builder.AppHostDirectory, "tool", "run", "smtp4dev", "--")
    .WithHttpEndpoint(port: infrastructure.FixedPorts ? 5180 : null, name: "http")
    .WithEndpoint(port: infrastructure.FixedPorts ? 2525 : null, name: "smtp", scheme: "tcp");
var mailInbox = mail.GetEndpoint("http");
var smtp = mail.GetEndpoint("smtp");
mail.WithArgs(context =>
    {
        context.Args.Add(ReferenceExpression.Create($"--urls=http://localhost:{mailInbox.Property(EndpointProperty.TargetPort)}"));
        context.Args.Add(ReferenceExpression.Create($"--smtpport={smtp.Property(EndpointProperty.TargetPort)}"));
        // In memory, port-less IMAP and POP3: the inbox is for looking, not for keeping.
        context.Args.Add("--db=");
        context.Args.Add("--imapport=0");
        context.Args.Add("--pop3port=0");
    })
    .WithHttpHealthCheck("/");

// Services: each owns one database, talks to the others only through the broker, and listens on a fixed
// local port that frontends and operators can rely on. Each logs in to both as itself (ServiceCredentials.cs), never as
// an administrator. None starts before its database and the broker are healthy and its credentials work.
// Identity issues every token; the others validate them against it, finding it through service discovery.
var identity = AddService<Projects.Certometer_Identity>("identity", port: 5101, postgres.AddDatabase("identitydb"));
var issuer = ReferenceExpression.Create($"{identity.GetEndpoint("http")}/");
identity.WithEnvironment("Identity__Issuer", issuer);

AddApi<Projects.Certometer_Catalog>("catalog", port: 5102, postgres.AddDatabase("catalogdb"));
var billing = AddApi<Projects.Certometer_Billing>("billing", port: 5103, postgres.AddDatabase("billingdb"));
// The sandbox payment gateway confirms charges by calling Billing's webhook, wherever Billing listens.
billing.WithEnvironment("Billing__Gateway__Sandbox__WebhookUrl", ReferenceExpression.Create($"{billing.GetEndpoint("http")}/api/billing/gateway/webhooks"));
AddApi<Projects.Certometer_Notifications>("notifications", port: 5104, postgres.AddDatabase("notificationsdb"))
    .WithEnvironment("Smtp__Host", smtp.Property(EndpointProperty.Host))
    .WithEnvironment("Smtp__Port", smtp.Property(EndpointProperty.Port))
    .WithEnvironment("Smtp__Security", "None")
    .WaitFor(mail);
AddApi<Projects.Certometer_Analytics>("analytics", port: 5105, postgres.AddDatabase("analyticsdb"));
// Every service above holds personal data and declares itself; PrivacyRights asks nobody until at least these have,
// so an erasure can never complete having reached only the services that happened to start first.
var privacyRights = AddApi<Projects.Certometer_PrivacyRights>("privacy-rights", port: 5106, postgres.AddDatabase("privacydb"))
    .WithEnvironment(context =>
    {
        foreach (var (holder, index) in holders.Select((holder, index) => (holder, index)))
        {
            context.EnvironmentVariables[$"PrivacyRights__Workflow__RequiredHolders__{index}"] = holder;
            // PrivacyRights accepts a holder's answers only under that holder's own key.
            context.EnvironmentVariables[$"PrivacyRights__HolderKeys__{holder}"] = answerKeys.PublicKeyOf(holder);
        }
    });
// The audit chain's signed checkpoints must live exactly as long as its database: a throwaway stack's fresh database
// checked against a kept directory would look cut short. A kept stack uses the service's own directory (wipe.sh clears it).
if (!infrastructure.PersistData)
{
    privacyRights.WithEnvironment(
        "PrivacyRights__Audit__CheckpointDirectory", Directory.CreateTempSubdirectory("certometer-audit-checkpoints-").FullName);
}

// Personal values in events travel sealed under per-subject keys that PrivacyRights keeps and destroys on erasure: every
// other service asks it for them, signing each call with its answer key. Not WaitFor: a service whose events wait for a
// key still starts, and its outbox publishes once PrivacyRights answers.
foreach (var service in services.Where(service => service != privacyRights))
{
    service.WithReference(privacyRights)
        .WithEnvironment("PersonalData__SubjectKeys__Address", "http://privacy-rights");
}

BrokerPermissions.CheckPublishersAreKnown(holders);
builder.Build().Run();

IResourceBuilder<ProjectResource> AddService<TProject>(string name, int port, IResourceBuilder<PostgresDatabaseResource> database)
    where TProject : IProjectMetadata, new()
{
    // A service's resource name is the name it declares to the holder registry.
    holders.Add(name);
    var service = builder.AddProject<TProject>(name)
        .WithFixedHttpPort(port, infrastructure)
        .WithHttpHealthCheck("/health/ready")
        .WithEnvironment("PersonalData__AnswerSigningKey", answerKeys.PrivateKeyOf(name))
        .WithOwnDatabaseRole(database)
        .WithOwnBrokerUser(messaging);
    services.Add(service);
    return service;
}

IResourceBuilder<ProjectResource> AddApi<TProject>(string name, int port, IResourceBuilder<PostgresDatabaseResource> database)
    where TProject : IProjectMetadata, new() =>
    AddService<TProject>(name, port, database)
        .WithReference(identity).WaitFor(identity)
        .WithEnvironment("Identity__Issuer", issuer)
        .WithEnvironment("Identity__MetadataAddress", "http://identity/.well-known/openid-configuration");
