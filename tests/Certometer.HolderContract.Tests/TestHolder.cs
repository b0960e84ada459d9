using System.Collections.Concurrent;
using Certometer.Contracts.Identity;
using Certometer.Contracts.Privacy;
using Certometer.HolderContract.Sealing;
using Certometer.HolderContract.Tombstones;
using Certometer.Messaging;
using Certometer.Messaging.DeadLetters;
using Certometer.Messaging.Inbox;
using Certometer.Messaging.Outbox;
using Certometer.Persistence;
using Certometer.TestInfrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

[assembly: AssemblyFixture(typeof(SharedInfrastructure))]

namespace Certometer.HolderContract.Tests;

/// <summary>A holder service's own data, as any real holder keeps it: rows keyed by the subject.</summary>
public sealed class SubjectNote
{
    public Guid Id { get; init; }

    public Guid SubjectId { get; init; }

    public required string Text { get; init; }
}

public sealed class HolderDbContext(DbContextOptions<HolderDbContext> options) : DbContext(options)
{
    public DbSet<SubjectNote> Notes => Set<SubjectNote>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox().AddErasureTombstones();
        modelBuilder.Entity<SubjectNote>().ToTable("subject_notes");
    }
}

/// <summary>Erases a subject's notes; optionally claims to keep them without saying why, which the contract must refuse.</summary>
public sealed class NotesEraser(HolderDbContext db, EraserBehaviour behaviour) : ISubjectDataEraser
{
    public async Task<IReadOnlyList<ErasureReceiptLine>> EraseAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var notes = await db.Notes.Where(n => n.SubjectId == subjectId).ToListAsync(cancellationToken);
        db.Notes.RemoveRange(notes);
        return behaviour.KeepWithoutLegalBasis
            ? [new ErasureReceiptLine("notes", ErasureAction.Retain, notes.Count)]
            : [new ErasureReceiptLine("notes", ErasureAction.Erase, notes.Count)];
    }
}

public sealed record EraserBehaviour(bool KeepWithoutLegalBasis);

/// <summary>Exports a subject's notes, texts and all.</summary>
public sealed class NotesExporter(HolderDbContext db) : ISubjectDataExporter
{
    public async Task<SubjectDataExport> ExportAsync(Guid subjectId, CancellationToken cancellationToken)
    {
        var notes = await db.Notes.Where(n => n.SubjectId == subjectId).Select(n => n.Text).ToListAsync(cancellationToken);
        return new SubjectDataExport(System.Text.Json.JsonSerializer.Serialize(new { notes }), notes.Count);
    }
}

/// <summary>
/// Keeps a note of every corrected name: a rectifier that creates rows, the kind an erased subject must not come back
/// through. A name starting with <see cref="RejectedPrefix"/> fails every time, so its message ends as a dead letter.
/// </summary>
public sealed class NotesRectifier(HolderDbContext db) : ISubjectDataRectifier
{
    public const string RejectedPrefix = "Rejected ";

    public Task RectifyAsync(Guid subjectId, IReadOnlyDictionary<string, string?> changedFields, CancellationToken cancellationToken)
    {
        if (changedFields.GetValueOrDefault("name")?.StartsWith(RejectedPrefix, StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException("This holder cannot store that name.");
        }

        db.Notes.Add(new SubjectNote { Id = Guid.NewGuid(), SubjectId = subjectId, Text = changedFields.GetValueOrDefault("name") ?? "" });
        return Task.CompletedTask;
    }
}


/// <summary>Stands in for PrivacyRights: collects every answer holders send.</summary>
public sealed class Answers : IConsumer<SubjectErased>, IConsumer<PersonalDataInventoryDeclared>
{
    public static ConcurrentQueue<SubjectErased> Receipts { get; } = new();

    public static ConcurrentQueue<PersonalDataInventoryDeclared> Declarations { get; } = new();

    public Task Consume(ConsumeContext<SubjectErased> context)
    {
        Receipts.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PersonalDataInventoryDeclared> context)
    {
        Declarations.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>A running holder service wired exactly as a real one: database, inventory, holder consumers, outbox.</summary>
internal sealed class HolderService : IAsyncDisposable
{
    private readonly IHost _host;

    private HolderService(IHost host, PersonalDataInventory inventory, string brokerAddress, string database)
    {
        _host = host;
        Inventory = inventory;
        BrokerAddress = brokerAddress;
        Database = database;
    }

    /// <summary>The holder's own database, for scans.</summary>
    public string Database { get; }

    public ConsumedMessages Consumed => Services.GetRequiredService<ConsumedMessages>();

    /// <summary>The holder's own virtual host on the shared broker.</summary>
    public string BrokerAddress { get; }

    public PersonalDataInventory Inventory { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<HolderService> StartAsync(SharedInfrastructure infrastructure, bool keepWithoutLegalBasis = false, int retryLimit = 1)
    {
        var name = $"holder-{Guid.NewGuid():N}"[..15];
        var inventory = new PersonalDataInventory(
            name,
            [new PersonalDataCategory("notes", ["text"], "Testing the holder contract.", ErasureAction.Erase, Exported: true)],
            "Stops processing.");
        var brokerAddress = await infrastructure.Broker.CreateVirtualHostAsync("holder");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        var database = await infrastructure.Postgres.CreateDatabaseAsync("holder");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:holder"] = database,
            ["ConnectionStrings:messaging"] = brokerAddress,
            ["Messaging:Outbox:PollInterval"] = "00:00:00.200",
            ["Messaging:RetryLimit"] = retryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
            ["PersonalData:TombstoneKey"] = RunningService.TombstoneKey,
            ["PersonalData:PrivacyRightsPublicKey"] = RunningService.PrivacyRightsPublicKey,
            ["PrivacyRights:CommandSigningKey"] = RunningService.PrivacyRightsSigningKey,
            ["PersonalData:AnswerSigningKey"] = RunningService.HolderSigningKey,
            // The holder consumes its own answers here (Answers, standing in for PrivacyRights), so it checks them as PrivacyRights would.
            [$"PrivacyRights:HolderKeys:{name}"] = RunningService.HolderPublicKey,
        });
        builder.AddServiceDatabase<HolderDbContext>("holder");
        // PrivacyRights keeps the subject keys; here the test process does, and the tests destroy them as erasure would.
        builder.Services.AddSingleton<ISubjectKeyring>(TestSubjectKeyring.Shared);
        builder.AddPersonalDataHolder<HolderDbContext>(inventory);
        // The tests play PrivacyRights, so what they publish is signed as PrivacyRights signs it.
        builder.Services.AddPrivacyCommandSigning();
        builder.Services.AddSingleton(new EraserBehaviour(keepWithoutLegalBasis));
        builder.Services.AddScoped<ISubjectDataEraser, NotesEraser>();
        builder.Services.AddScoped<ISubjectDataRectifier, NotesRectifier>();
        builder.Services.AddScoped<ISubjectDataExporter, NotesExporter>();
        builder.Services.AddSingleton(new ConsumedMessages(TimeSpan.FromSeconds(30)));
        builder.Services.AddConsumeObserver(services => services.GetRequiredService<ConsumedMessages>());
        builder.AddMessaging<HolderDbContext>(name, bus =>
        {
            bus.AddPersonalDataHolderConsumers<HolderDbContext>();
            bus.AddConsumer<Answers>();
        });
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HolderDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        return new HolderService(host, inventory, brokerAddress, database);
    }

    /// <summary>Adds notes for <paramref name="subjectId"/>, or for a new subject when none is given; returns the subject.</summary>
    public async Task<Guid> AddNotesAsync(int count, Guid? subjectId = null)
    {
        var subject = subjectId ?? Guid.NewGuid();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HolderDbContext>();
        for (var i = 0; i < count; i++)
        {
            db.Notes.Add(new SubjectNote { Id = Guid.NewGuid(), SubjectId = subject, Text = $"note {i}" });
        }

        await db.SaveChangesAsync();
        return subject;
    }

    /// <summary>Stages an event naming <paramref name="subjectId"/> that the outbox publishes only after <paramref name="delay"/>.</summary>
    public async Task<Guid> StageEventNamingAsync(Guid subjectId, TimeSpan delay)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HolderDbContext>();
        var id = db.AddIntegrationEvent(new SubjectDataRectified(subjectId, new Dictionary<string, string?> { ["name"] = "Noted Name" }, DateTimeOffset.UtcNow));
        db.Set<OutboxMessage>().Local.Single(m => m.Id == id).AvailableAt = DateTimeOffset.UtcNow + delay;
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>How many outbox rows, sent or not, name <paramref name="subjectId"/>.</summary>
    public async Task<int> OutboxRowsNamingAsync(Guid subjectId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HolderDbContext>().Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE position({subjectId.ToString()} in payload::text) > 0")
            .SingleAsync();
    }

    /// <summary>Publishes as another service would and waits until the holder has finished with the message, whatever it did.</summary>
    public async Task DeliverAsync<T>(T message)
        where T : class
    {
        var id = Guid.NewGuid();
        await Services.GetRequiredService<IBus>().Publish(message, context => context.MessageId = id, TestContext.Current.CancellationToken);
        await Consumed.WaitAsync(id, 1, TestContext.Current.CancellationToken);
    }

    /// <summary>Whether the holder kept any trace of the message: an inbox record or a parked dead letter.</summary>
    public async Task<bool> KeptTraceOfAsync(Guid messageId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HolderDbContext>();
        return await db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId)
            || await db.Set<DeadLetter>().AnyAsync(d => d.MessageId == messageId);
    }

    /// <summary>The <typeparamref name="TEvent"/>s the holder staged, personal values opened as a consumer reads them.</summary>
    public async Task<List<TEvent>> StagedAsync<TEvent>()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HolderDbContext>().StagedEventsAsync<TEvent>(TestContext.Current.CancellationToken);
    }

    /// <summary>The raw outbox payloads of the holder's <typeparamref name="TEvent"/>s, as a copy of its database holds them.</summary>
    public async Task<List<string>> StagedPayloadsAsync<TEvent>()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HolderDbContext>().StagedPayloadsAsync<TEvent>(TestContext.Current.CancellationToken);
    }

    public async Task<int> NoteCountAsync(Guid subjectId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HolderDbContext>().Notes.CountAsync(n => n.SubjectId == subjectId);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
    }
}
