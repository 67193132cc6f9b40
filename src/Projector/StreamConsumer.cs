using System.Globalization;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Projector;

/// <summary>
/// One replica's view of a region's consumer group. Blocking reads (<c>XREADGROUP … BLOCK</c>) go over a connection of their
/// own, because a blocked command would hold up every other command on a multiplexed connection.
/// </summary>
public sealed class StreamConsumer(Region region, IConnectionMultiplexer redis, IConnectionMultiplexer blockingRedis, string consumer)
{
    private readonly RedisKey _stream = new LedgerKeys(region).Events;
    private const string Group = LedgerKeys.ProjectorGroup;

    /// <summary>Creates the group (from the first entry) and the stream if they do not exist.</summary>
    public async Task EnsureGroupAsync()
    {
        try
        {
            await redis.GetDatabase().StreamCreateConsumerGroupAsync(_stream, Group, "0-0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Exists already.
        }
    }

    /// <summary>New entries for this consumer, waiting up to <paramref name="block"/> for the first.</summary>
    public async Task<StreamEntry[]> ReadNewAsync(int count, TimeSpan block)
    {
        var reply = await blockingRedis.GetDatabase().ExecuteAsync("XREADGROUP",
            "GROUP", Group, consumer, "COUNT", count, "BLOCK", (long)block.TotalMilliseconds, "STREAMS", _stream, ">");
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

    /// <summary>
    /// Takes over every pending entry of the group (this replica's own and a dead replica's), oldest first, one page at a time.
    /// Each claim counts as a delivery.
    /// </summary>
    public async Task<(StreamEntry[] Entries, RedisValue Next)> ClaimPendingAsync(RedisValue start, int count)
    {
        var result = await redis.GetDatabase().StreamAutoClaimAsync(_stream, Group, consumer, 0, start, count);
        return (result.ClaimedEntries.Where(e => !e.IsNull).ToArray(), result.NextStartId);
    }

    public async Task<int> DeliveryCountAsync(RedisValue id)
    {
        var pending = await redis.GetDatabase().StreamPendingMessagesAsync(_stream, Group, 1, RedisValue.Null, id, id);
        return pending.Length == 0 ? 0 : pending[0].DeliveryCount;
    }

    public Task AcknowledgeAsync(RedisValue[] ids) =>
        ids.Length == 0 ? Task.CompletedTask : redis.GetDatabase().StreamAcknowledgeAsync(_stream, Group, ids);

    /// <summary>Entries strictly after <paramref name="after"/>, read directly from the stream (not through the group).</summary>
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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{region}/{consumer}");
}
