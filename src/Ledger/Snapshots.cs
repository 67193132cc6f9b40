using System.Globalization;
using Hyperstore.Domain;
using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger;

/// <summary>
/// The latest snapshot of a region's replayed state (hash <c>{hyper:&lt;region&gt;}:snapshot</c>: level, events, position),
/// so that audits and rebuilds need not replay from the first event. A snapshot is a cache: deleting it loses nothing.
/// </summary>
public sealed class Snapshots(IConnectionMultiplexer redis)
{
    public async Task<ReplayResult?> LoadAsync(Region region)
    {
        var values = await redis.GetDatabase().HashGetAsync(new LedgerKeys(region).Snapshot, ["level", "events", "position"]);
        if (values.Any(v => v.IsNull))
        {
            return null;
        }
        var state = new StockState(region, Quantity.Of((long)values[0]), (long)values[1]);
        return new ReplayResult(state, StreamPosition.Parse(values[2]));
    }

    /// <summary>Stores <paramref name="snapshot"/> unless a newer one is already there.</summary>
    public async Task StoreAsync(ReplayResult snapshot)
    {
        var existing = await LoadAsync(snapshot.State.Region);
        if (existing is not null && existing.Position >= snapshot.Position)
        {
            return;
        }
        await redis.GetDatabase().HashSetAsync(new LedgerKeys(snapshot.State.Region).Snapshot,
        [
            new HashEntry("level", snapshot.State.Level.Value),
            new HashEntry("events", snapshot.State.EventCount),
            new HashEntry("position", snapshot.Position.ToString()),
            new HashEntry("takenAt", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        ]);
    }
}
