using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Bench.Driver;

/// <summary>
/// <c>lag</c>: appends buys at a fixed rate (open loop: on schedule, whatever the answers' speed) with <see cref="RedisLedger"/>,
/// as the API would, while polling the read model's position every millisecond. Each event's lag is the time from its
/// append (the stream entry id's millisecond, Redis's clock) to the first poll that saw the read model at or past it.
/// Resolution: about 1 ms (entry ids are whole milliseconds; polls are 1 ms apart), so figures are slightly pessimistic.
/// </summary>
internal static class LagCommand
{
    private const int MaxInFlight = 10_000;

    public static async Task<int> RunAsync(Options options)
    {
        var redisAddress = options.String("redis", "127.0.0.1:6379");
        var region = Region.Parse(options.String("region", "na"));
        var rate = options.Double("rate", 2_000);
        var duration = TimeSpan.FromSeconds(options.Double("seconds", 30));
        var warmup = TimeSpan.FromSeconds(options.Double("warmup-seconds", 3));
        var metricsUrl = options.OptionalString("projector-metrics");
        var output = options.OptionalString("out");
        options.EnsureAllRead();

        await using var redis = await RedisInfo.ConnectAsync(redisAddress);
        var ledger = new RedisLedger(redis, new LedgerOptions());
        var keys = new LedgerKeys(region);
        var client = ClientId.Parse("bench-lag");
        await ledger.AppendAsync(SetStockLevel.Create(region, Quantity.Max, client, CommandId.New(), DateTimeOffset.UtcNow), rememberCommandId: false);
        var metricsBefore = await ScrapeAsync(metricsUrl);

        var appended = new ConcurrentQueue<StreamPosition>();
        var ackLatency = new LongHistogram(TimeStamp.Minutes(1), 3);
        var observations = new List<(StreamPosition Position, double AtMs)>();
        long sent = 0, inFlight = 0, dropped = 0, failed = 0;
        using var stopPolling = new CancellationTokenSource();
        var poller = PollAsync(redis.GetDatabase(), keys.ReadModel.Stock, observations, stopPolling.Token);

        var clock = Stopwatch.StartNew();
        var total = warmup + duration;
        var pending = new List<Task>();
        while (clock.Elapsed < total)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            while (sent < due)
            {
                sent++;
                if (Interlocked.Read(ref inFlight) >= MaxInFlight)
                {
                    dropped++;
                    continue;
                }
                var measured = clock.Elapsed >= warmup;
                Interlocked.Increment(ref inFlight);
                pending.Add(AppendOneAsync(measured));
            }
            if (pending.Count > 50_000)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
            await Task.Delay(1);
        }
        var appendSeconds = clock.Elapsed.TotalSeconds - warmup.TotalSeconds;
        await Task.WhenAll(pending);

        // Let the projector finish what was appended, bounded.
        var last = appended.IsEmpty ? StreamPosition.Start : appended.Max();
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(15))
        {
            lock (observations)
            {
                if (observations.Count > 0 && observations[^1].Position >= last)
                {
                    break;
                }
            }
            await Task.Delay(10);
        }
        await stopPolling.CancelAsync();
        await poller;
        var metricsAfter = await ScrapeAsync(metricsUrl);

        var lag = new LongHistogram(TimeStamp.Minutes(1), 3);
        var events = appended.Order().ToArray();
        var unseen = 0;
        var j = 0;
        foreach (var position in events)
        {
            while (j < observations.Count && observations[j].Position < position)
            {
                j++;
            }
            if (j == observations.Count)
            {
                unseen++;
                continue;
            }
            var micros = (long)Math.Max(0, (observations[j].AtMs - position.Milliseconds) * 1000);
            lag.RecordValue(micros);
        }

        Json.Write(output, new
        {
            region = region.Value,
            targetRate = rate,
            seconds = Math.Round(appendSeconds, 1),
            appended = events.Length,
            achievedRate = Math.Round(events.Length / appendSeconds),
            dropped,
            failed,
            unseen,
            lagMs = Percentiles(lag),
            appendAckMs = Percentiles(ackLatency),
            projectorHistogram = ProjectorHistogram(metricsBefore, metricsAfter, region.Value),
        });
        return unseen == 0 && failed == 0 ? 0 : 1;

        async Task AppendOneAsync(bool measured)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var buy = BuyHyper.Create(region, 1, client, CommandId.Parse(Guid.CreateVersion7().ToString()), DateTimeOffset.UtcNow);
                var result = await ledger.AppendAsync(buy);
                if (result is AppendResult.Applied applied)
                {
                    if (measured)
                    {
                        appended.Enqueue(applied.Position);
                        lock (ackLatency)
                        {
                            ackLatency.RecordValue((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                        }
                    }
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (RedisException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }

    private static async Task PollAsync(IDatabase database, RedisKey readModelStock, List<(StreamPosition, double)> observations,
        CancellationToken stop)
    {
        var seen = StreamPosition.Start;
        while (!stop.IsCancellationRequested)
        {
            var value = await database.HashGetAsync(readModelStock, "position");
            var now = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
            if (!value.IsNull && StreamPosition.Parse(value) is var position && position > seen)
            {
                seen = position;
                lock (observations)
                {
                    observations.Add((position, now));
                }
            }
            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static object Percentiles(HistogramBase histogram) => new
    {
        count = histogram.TotalCount,
        p50 = Ms(histogram, 50),
        p90 = Ms(histogram, 90),
        p99 = Ms(histogram, 99),
        p999 = Ms(histogram, 99.9),
        max = Math.Round(histogram.GetMaxValue() / 1000.0, 2),
    };

    private static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? double.NaN : Math.Round(histogram.GetValueAtPercentile(percentile) / 1000.0, 2);

    private static async Task<string?> ScrapeAsync(string? url)
    {
        if (url is null)
        {
            return null;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return await http.GetStringAsync(new Uri(url));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// The projector's own <c>hyperstore.projection.delay</c> histogram over the run (after minus before), as bucket bounds:
    /// "p99 ≤ 25 ms" means the bucket holding the 99th percentile ends at 25 ms.
    /// </summary>
    private static object? ProjectorHistogram(string? before, string? after, string region)
    {
        if (after is null)
        {
            return null;
        }
        var start = Buckets(before ?? "", region);
        var end = Buckets(after, region);
        if (end.Count == 0)
        {
            return null;
        }
        var delta = end.Select(b => (b.Le, Count: b.Count - start.FirstOrDefault(s => s.Le == b.Le).Count)).OrderBy(b => b.Le).ToList();
        var total = delta[^1].Count;
        double? Bound(double quantile) => total == 0 ? null : delta.First(b => b.Count >= quantile * total).Le;
        return new { count = total, p50AtMostMs = Bound(0.5), p99AtMostMs = Bound(0.99) };
    }

    private static List<(double Le, double Count)> Buckets(string text, string region)
    {
        var buckets = new List<(double, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("hyperstore_projection_delay", StringComparison.Ordinal) || !line.Contains("_bucket{", StringComparison.Ordinal)
                || !line.Contains($"region=\"{region}\"", StringComparison.Ordinal))
            {
                continue;
            }
            var le = line.IndexOf("le=\"", StringComparison.Ordinal) + 4;
            var leText = line[le..line.IndexOf('"', le)];
            var bound = leText == "+Inf" ? double.PositiveInfinity : double.Parse(leText, CultureInfo.InvariantCulture);
            var count = double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            buckets.Add((bound, count));
        }
        return buckets;
    }
}
