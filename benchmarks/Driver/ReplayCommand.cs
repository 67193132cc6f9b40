using System.Diagnostics;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;

namespace Hyperstore.Bench.Driver;

/// <summary>
/// <c>replay</c>: <see cref="EventStreamReader.ReplayAsync"/> over a whole region (what audits and rebuilds do), several times,
/// and, to split the cost, the same pages read with XRANGE but not decoded or folded.
/// </summary>
internal static class ReplayCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var redisAddress = options.String("redis", "127.0.0.1:6379");
        var region = Region.Parse(options.String("region", "replay"));
        var repeat = (int)options.Long("repeat", 3);
        var pageSize = (int)options.Long("page-size", EventStreamReader.DefaultPageSize);
        var output = options.OptionalString("out");
        options.EnsureAllRead();

        await using var redis = await RedisInfo.ConnectAsync(redisAddress);
        var reader = new EventStreamReader(redis);
        var replays = new List<object>();
        var rates = new List<double>();
        long events = 0;
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await reader.ReplayAsync(region, pageSize: pageSize);
            var seconds = clock.Elapsed.TotalSeconds;
            events = result.State.EventCount;
            rates.Add(events / seconds);
            replays.Add(new { events, seconds = Math.Round(seconds, 3), eventsPerSecond = Math.Round(events / seconds) });
        }

        // The same pages without decoding or folding: what Redis and the client library alone cost.
        var raw = Stopwatch.StartNew();
        long rawEvents = 0;
        var position = StreamPosition.Start;
        var database = redis.GetDatabase();
        var streamKey = new LedgerKeys(region).Events;
        while (true)
        {
            var page = await database.StreamRangeAsync(streamKey, "(" + position, "+", pageSize);
            rawEvents += page.Length;
            if (page.Length < pageSize)
            {
                break;
            }
            position = StreamPosition.Parse(page[^1].Id);
        }
        var rawSeconds = raw.Elapsed.TotalSeconds;

        Json.Write(output, new
        {
            region = region.Value,
            events,
            pageSize,
            runs = replays,
            medianEventsPerSecond = Math.Round(Median(rates)),
            readOnlyEventsPerSecond = Math.Round(rawEvents / rawSeconds),
        });
        return 0;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
