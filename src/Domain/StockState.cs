using Hyperstore.Domain.Values;

namespace Hyperstore.Domain;

/// <summary>A region's stock as the ledger knows it: the level, and how many events made it.</summary>
public sealed record StockState(Region Region, Quantity Level, long EventCount)
{
    /// <summary>A region that has seen no event holds no stock.</summary>
    public static StockState Initial(Region region) => new(region, Quantity.Zero, 0);
}
