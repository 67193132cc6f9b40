using System.Text.Json;
using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger.ReadModel;

/// <summary>Reads the projected read model: one round trip per call, never touching the stream.</summary>
public sealed class ReadModelReader(IConnectionMultiplexer redis)
{
    internal static readonly RedisValue[] StockFields = ["quantity", "position", "updatedAt", "events"];

    public async Task<StockView> GetStockAsync(Region region)
    {
        var values = await redis.GetDatabase().HashGetAsync(new LedgerKeys(region).ReadModel.Stock, StockFields);
        return ToView(region, values);
    }

    public async Task<IReadOnlyList<ActivityEntry>> GetActivityAsync(Region region, int count)
    {
        var items = await redis.GetDatabase().ListRangeAsync(new LedgerKeys(region).ReadModel.Activity, 0, count - 1);
        return [.. items.Select(item => JsonSerializer.Deserialize((string)item!, ReadModelJsonContext.Default.ActivityEntry)!)];
    }

    /// <summary>Per-client totals: client → (kind → quantity).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> GetClientTotalsAsync(Region region)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(new LedgerKeys(region).ReadModel.ClientTotals);
        return entries
            .Select(e => (Field: (string)e.Name!, Value: (long)e.Value))
            .GroupBy(e => e.Field[..e.Field.LastIndexOf(':')])
            .ToDictionary(g => g.Key,
                g => (IReadOnlyDictionary<string, long>)g.ToDictionary(e => e.Field[(e.Field.LastIndexOf(':') + 1)..], e => e.Value));
    }

    internal static StockView ToView(Region region, RedisValue[] values)
    {
        var position = values[1].IsNull ? StreamPosition.Start : StreamPosition.Parse(values[1]);
        DateTimeOffset? updatedAt = values[2].IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)values[2]);
        return new StockView(region.Value, values[0].IsNull ? 0 : (long)values[0], position, updatedAt,
            values[3].IsNull ? 0 : (long)values[3]);
    }
}
