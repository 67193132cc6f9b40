using Hyperstore.Domain.Values;

namespace Hyperstore.Domain.Events;

/// <summary>
/// Something that happened to a region's stock. Every event records the level before and after it,
/// so that any single event can be checked against its predecessor without replaying the stream.
/// </summary>
public abstract record StockEvent
{
    /// <summary>
    /// The version of the event's stored shape; bump it when the shape or a field's meaning changes.
    /// 2: one packed stream field; 1: one stream field per value (still read).
    /// </summary>
    public const int CurrentSchemaVersion = 2;

    private protected StockEvent(Region region, Quantity quantity, Quantity levelBefore, Quantity levelAfter,
        ClientId client, CommandId commandId, DateTimeOffset occurredAt)
    {
        Region = region;
        Quantity = quantity;
        LevelBefore = levelBefore;
        LevelAfter = levelAfter;
        Client = client;
        CommandId = commandId;
        OccurredAt = occurredAt;
    }

    public Region Region { get; }
    public Quantity Quantity { get; }
    public Quantity LevelBefore { get; }
    public Quantity LevelAfter { get; }
    public ClientId Client { get; }
    public CommandId CommandId { get; }
    public DateTimeOffset OccurredAt { get; }
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
}

public sealed record HyperBought(Region Region, Quantity Quantity, Quantity LevelBefore, Quantity LevelAfter,
    ClientId Client, CommandId CommandId, DateTimeOffset OccurredAt)
    : StockEvent(Region, Quantity, LevelBefore, LevelAfter, Client, CommandId, OccurredAt);

public sealed record HyperRestocked(Region Region, Quantity Quantity, Quantity LevelBefore, Quantity LevelAfter,
    ClientId Client, CommandId CommandId, DateTimeOffset OccurredAt)
    : StockEvent(Region, Quantity, LevelBefore, LevelAfter, Client, CommandId, OccurredAt);

/// <summary>The stock was set to an absolute level; <see cref="StockEvent.Quantity"/> equals the new level.</summary>
public sealed record StockLevelSet(Region Region, Quantity Quantity, Quantity LevelBefore, Quantity LevelAfter,
    ClientId Client, CommandId CommandId, DateTimeOffset OccurredAt)
    : StockEvent(Region, Quantity, LevelBefore, LevelAfter, Client, CommandId, OccurredAt);
