using System.Diagnostics;
using System.Runtime;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;

namespace Hyperstore.Bench.Driver;

/// <summary>
/// <c>replay</c>: <see cref="EventStreamReader.ReplayAsync"/> over a whole region (what audits and rebuilds do): once cold, then
/// unmeasured for at least <c>--warmup-seconds</c> and until the JIT settles (at most <c>--warmup-max-seconds</c>), then
/// <c>--repeat</c> times warm (bounded by <c>--max-seconds</c>), and, to split the cost, the same pages read, decoded and
/// folded with each part timed apart.
/// </summary>
internal static class ReplayCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var redisAddress = options.String("redis", "127.0.0.1:6379");
        var region = Region.Parse(options.String("region", "replay"));
        var repeat = (int)options.Long("repeat", 3);
        var warmupSeconds = options.Double("warmup-seconds", 10);
        var warmupMaxSeconds = options.Double("warmup-max-seconds", 40);
        var maxSeconds = options.Double("max-seconds", 120);
        var pageSize = (int)options.Long("page-size", EventStreamReader.DefaultPageSize);
        var output = options.OptionalString("out");
        options.EnsureAllRead();

        await using var redis = await RedisInfo.ConnectAsync(redisAddress);
        var reader = new EventStreamReader(redis);
        var replays = new List<object>();
        var rates = new List<double>();
        long events = 0;
        // The first replay runs in a cold process (as an audit or a rebuild in a fresh process does) and is reported apart.
        // Replays then go on unmeasured: on one core the JIT takes several replays to finish recompiling the hot loop
        // with profile data, and audits and rebuilds run in long-lived processes. A fixed 10 s was not always enough:
        // one warm-up replay 10 s in still spent 538 ms of its 2.4 s compiling 299 methods, and the replays measured
        // right after a short warm-up ran at 280,000-400,000 events/s against 510,000-590,000 a few replays later. So
        // the warm-up lasts at least --warmup-seconds and until a whole replay compiles for less than 1 % of its time.
        var started = Stopwatch.StartNew();
        var (coldEvents, coldSeconds) = await TimedReplayAsync(reader, region, pageSize);
        var coldRate = coldEvents / coldSeconds;
        events = coldEvents;
        var warmups = 0;
        var jitSettled = false;
        var warmupEnds = started.Elapsed.TotalSeconds + warmupSeconds;
        var warmupLimit = Math.Min(started.Elapsed.TotalSeconds + warmupMaxSeconds, maxSeconds / 2);
        while (started.Elapsed.TotalSeconds < warmupLimit && !(jitSettled && started.Elapsed.TotalSeconds >= warmupEnds))
        {
            var compiling = JitInfo.GetCompilationTime();
            var (_, seconds) = await TimedReplayAsync(reader, region, pageSize);
            jitSettled = (JitInfo.GetCompilationTime() - compiling).TotalSeconds < seconds / 100;
            warmups++;
        }
        var warmupSpent = started.Elapsed.TotalSeconds - coldSeconds;
        for (var i = 0; i < repeat && (i == 0 || started.Elapsed.TotalSeconds < maxSeconds); i++)
        {
            var (replayed, seconds) = await TimedReplayAsync(reader, region, pageSize);
            events = replayed;
            rates.Add(events / seconds);
            replays.Add(new { events, seconds = Math.Round(seconds, 3), eventsPerSecond = Math.Round(events / seconds) });
        }

        // The same pages again, timing the three parts apart: reading (XRANGE through the client library), decoding
        // (StockEventCodec and StreamPosition), folding (StockDecider.Evolve).
        var read = new Stopwatch();
        var decode = new Stopwatch();
        var fold = new Stopwatch();
        long rawEvents = 0;
        var position = StreamPosition.Start;
        var database = redis.GetDatabase();
        var streamKey = new LedgerKeys(region).Events;
        var state = Domain.StockState.Initial(region);
        var decoded = new List<RecordedEvent>(pageSize);
        while (true)
        {
            read.Start();
            var page = await database.StreamRangeAsync(streamKey, "(" + position, "+", pageSize);
            read.Stop();
            decode.Start();
            decoded.Clear();
            foreach (var entry in page)
            {
                decoded.Add(new RecordedEvent(StreamPosition.Parse(entry.Id), StockEventCodec.Decode(region, entry)));
            }
            decode.Stop();
            fold.Start();
            foreach (var recorded in decoded)
            {
                state = Domain.StockDecider.Evolve(state, recorded.Event);
            }
            fold.Stop();
            rawEvents += page.Length;
            if (page.Length < pageSize)
            {
                break;
            }
            position = StreamPosition.Parse(page[^1].Id);
        }
        double PerEvent(Stopwatch watch) => Math.Round(watch.Elapsed.TotalMicroseconds / Math.Max(rawEvents, 1), 3);

        Json.Write(output, new
        {
            region = region.Value,
            events,
            pageSize,
            runs = replays,
            coldEventsPerSecond = Math.Round(coldRate),
            warmupReplays = warmups,
            warmupSeconds = Math.Round(warmupSpent, 1),
            jitSettled = warmups > 0 ? jitSettled : (bool?)null, // null: the cold replay left no time to warm up
            medianEventsPerSecond = Math.Round(Median(rates)),
            readOnlyEventsPerSecond = Math.Round(rawEvents / read.Elapsed.TotalSeconds),
            splitMicrosecondsPerEvent = new { read = PerEvent(read), decode = PerEvent(decode), fold = PerEvent(fold) },
        });
        return 0;
    }

    private static async Task<(long Events, double Seconds)> TimedReplayAsync(EventStreamReader reader, Region region, int pageSize)
    {
        var clock = Stopwatch.StartNew();
        var result = await reader.ReplayAsync(region, pageSize: pageSize);
        return (result.State.EventCount, clock.Elapsed.TotalSeconds);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
