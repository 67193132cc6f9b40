using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Projector;

/// <summary>
/// Reads a region's stream after a position: the projector's only progress is the read model's checkpoint, so it needs
/// no consumer group (no pending-entries list, no <c>XACK</c>). Blocking reads (<c>XREAD … BLOCK</c>) go over a connection
/// of their own, because a blocked command would hold up every other command on a multiplexed connection.
/// </summary>
public sealed class StreamTail(Region region, IConnectionMultiplexer redis, IConnectionMultiplexer blockingRedis)
{
    private readonly RedisKey _stream = new LedgerKeys(region).Events;

    /// <summary>Up to <paramref name="count"/> entries after <paramref name="after"/>, waiting up to <paramref name="block"/> for the first.</summary>
    public async Task<StreamEntry[]> ReadAfterAsync(StreamPosition after, int count, TimeSpan block)
    {
        var reply = await blockingRedis.GetDatabase().ExecuteAsync("XREAD",
            "COUNT", count, "BLOCK", (long)block.TotalMilliseconds, "STREAMS", _stream, after.ToString());
        if (reply.IsNull)
        {
            return [];
        }
        // RESP3: {stream: [[id, [field, value, …]], …]}; RESP2: [[stream, [[id, [field, value, …]], …]]].
        var entries = reply.Resp3Type == ResultType.Map ? reply[1] : reply[0][1];
        var result = new StreamEntry[entries.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ToEntry(entries[i]);
        }
        return result;
    }

    /// <summary>Entries strictly after <paramref name="after"/>, without waiting.</summary>
    public Task<StreamEntry[]> ReadRangeAsync(StreamPosition after, int count) =>
        redis.GetDatabase().StreamRangeAsync(_stream, "(" + after, "+", count);

    private static StreamEntry ToEntry(RedisResult item)
    {
        var fields = item[1];
        var values = new NameValueEntry[fields.Length / 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new NameValueEntry((RedisValue)fields[2 * i], (RedisValue)fields[2 * i + 1]);
        }
        return new StreamEntry((RedisValue)item[0], values);
    }

    public override string ToString() => region.ToString();
}
