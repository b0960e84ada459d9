using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certometer.Billing.Gateway;

/// <summary>A gateway webhook event already applied, so a replay of it changes nothing.</summary>
internal sealed class ProcessedGatewayEvent
{
    public required string EventId { get; init; }

    public required string Type { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>How <see cref="ProcessedGatewayEvent"/> is stored.</summary>
internal sealed class ProcessedGatewayEventConfiguration : IEntityTypeConfiguration<ProcessedGatewayEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedGatewayEvent> gatewayEvent)
    {
        gatewayEvent.ToTable("gateway_events");
        gatewayEvent.HasKey(e => e.EventId);
        gatewayEvent.Property(e => e.EventId).HasMaxLength(200);
        gatewayEvent.Property(e => e.Type).HasMaxLength(100);
    }
}
