using Hyperstore.Domain.Values;

namespace Hyperstore.Domain.Commands;

/// <summary>
/// A request to change a region's stock. Each accepted command becomes exactly one event.
/// Commands carry <see cref="Now"/> so that the decider never reads a clock.
/// </summary>
public abstract record StockCommand
{
    private protected StockCommand(Region region, ClientId client, CommandId id, DateTimeOffset now)
    {
        Region = region;
        Client = client;
        Id = id;
        Now = now;
    }

    public Region Region { get; }
    public ClientId Client { get; }
    public CommandId Id { get; }
    public DateTimeOffset Now { get; }

    /// <summary>What makes two commands with the same id "the same command": kind and amount.</summary>
    public abstract string Fingerprint { get; }
}

/// <summary>Buy <see cref="Quantity"/> hypers (at least one).</summary>
public sealed record BuyHyper : StockCommand
{
    /// <summary>The per-order cap used when configuration names none.</summary>
    public const long DefaultMaxPerOrder = 1;

    public Quantity Quantity { get; }

    private BuyHyper(Region region, Quantity quantity, ClientId client, CommandId id, DateTimeOffset now)
        : base(region, client, id, now) => Quantity = quantity;

    public static BuyHyper Create(Region region, long quantity, ClientId client, CommandId id, DateTimeOffset now,
        long maxPerOrder = DefaultMaxPerOrder)
    {
        if (quantity < 1)
        {
            throw new DomainValidationException($"A buy must be for at least 1 hyper (got {quantity}).");
        }
        if (quantity > maxPerOrder)
        {
            throw new DomainValidationException($"A buy may be for at most {maxPerOrder} hyper(s) per order (got {quantity}).");
        }
        return new BuyHyper(region, Quantity.Of(quantity), client, id, now);
    }

    public override string Fingerprint => $"buy:{Quantity}";
}

/// <summary>Add <see cref="Quantity"/> hypers (at least one) to the stock.</summary>
public sealed record RestockHyper : StockCommand
{
    public Quantity Quantity { get; }

    private RestockHyper(Region region, Quantity quantity, ClientId client, CommandId id, DateTimeOffset now)
        : base(region, client, id, now) => Quantity = quantity;

    public static RestockHyper Create(Region region, long quantity, ClientId client, CommandId id, DateTimeOffset now)
    {
        if (quantity < 1)
        {
            throw new DomainValidationException($"A restock must add at least 1 hyper (got {quantity}).");
        }
        return new RestockHyper(region, Quantity.Of(quantity), client, id, now);
    }

    public override string Fingerprint => $"restock:{Quantity}";
}

/// <summary>Set the stock to an absolute level (zero allowed), what the PHP version's <c>POST /api/hyper</c> did.</summary>
public sealed record SetStockLevel : StockCommand
{
    public Quantity Level { get; }

    private SetStockLevel(Region region, Quantity level, ClientId client, CommandId id, DateTimeOffset now)
        : base(region, client, id, now) => Level = level;

    public static SetStockLevel Create(Region region, long level, ClientId client, CommandId id, DateTimeOffset now) =>
        new(region, Quantity.Of(level), client, id, now);

    public override string Fingerprint => $"set:{Level}";
}
