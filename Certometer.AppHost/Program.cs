using Certometer.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var infrastructure = InfrastructureSettings.From(builder.Configuration);

// Infrastructure: one PostgreSQL server with a database per service, one RabbitMQ broker.
var postgres = builder.AddPostgres("postgres")
    .WithInfrastructureImage(infrastructure.PostgresImage, infrastructure)
    .WithNamedDataVolume("certometer-postgres-data", infrastructure);

var messaging = builder.AddRabbitMQ("messaging")
    .WithManagementPlugin(port: 15672)
    .WithInfrastructureImage(infrastructure.RabbitMqImage, infrastructure)
    .WithNamedDataVolume("certometer-rabbitmq-data", infrastructure);

// Services: each owns one database, talks to the others only through the broker, and listens on a fixed
// local port that frontends and operators can rely on. None starts before its database and the broker are healthy.
// Identity issues every token; the others validate them against it, finding it through service discovery.
var identity = AddService<Projects.Certometer_Identity>("identity", port: 5101, postgres.AddDatabase("identitydb"));
var issuer = ReferenceExpression.Create($"{identity.GetEndpoint("http")}/");
identity.WithEnvironment("Identity__Issuer", issuer);

AddApi<Projects.Certometer_Catalog>("catalog", port: 5102, postgres.AddDatabase("catalogdb"));
AddApi<Projects.Certometer_Billing>("billing", port: 5103, postgres.AddDatabase("billingdb"));
AddApi<Projects.Certometer_Notifications>("notifications", port: 5104, postgres.AddDatabase("notificationsdb"));
AddApi<Projects.Certometer_Analytics>("analytics", port: 5105, postgres.AddDatabase("analyticsdb"));
AddApi<Projects.Certometer_PrivacyRights>("privacy-rights", port: 5106, postgres.AddDatabase("privacydb"));

builder.Build().Run();

IResourceBuilder<ProjectResource> AddService<TProject>(string name, int port, IResourceBuilder<PostgresDatabaseResource> database)
    where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name)
        .WithFixedHttpPort(port, infrastructure)
        .WithHttpHealthCheck("/health/ready")
        .WithReference(database).WaitFor(database)
        .WithReference(messaging).WaitFor(messaging);

IResourceBuilder<ProjectResource> AddApi<TProject>(string name, int port, IResourceBuilder<PostgresDatabaseResource> database)
    where TProject : IProjectMetadata, new() =>
    AddService<TProject>(name, port, database)
        .WithReference(identity).WaitFor(identity)
        .WithEnvironment("Identity__Issuer", issuer)
        .WithEnvironment("Identity__MetadataAddress", "http://identity/.well-known/openid-configuration");
