using HdrHistogram;

namespace Hyperstore.LoadTest.Stats;

/// <summary>
/// The figures of one or more runs put together: per endpoint, aggregated, per region and per second.
/// Built from the stored data only, so a merged result and a single run are reported the same way.
/// </summary>
internal sealed class StatsView
{
    public StatsView(IReadOnlyList<RunPart> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("At least one run is needed.", nameof(runs));
        }

        Runs = runs;
        StartedAt = runs.Min(r => r.StartedAt);
        EndedAt = runs.Max(r => r.EndedAt);
        DurationSeconds = Math.Max((EndedAt - StartedAt).TotalSeconds, 0.001);

        var endpoints = new Dictionary<EndpointKey, EndpointStats>();
        foreach (var record in runs.SelectMany(r => r.Endpoints))
        {
            var key = new EndpointKey(record.Method, record.Name);
            if (!endpoints.TryGetValue(key, out var stats))
            {
                endpoints[key] = stats = new EndpointStats(record.Method, record.Name) { DurationSeconds = DurationSeconds };
            }

            stats.Add(record);
        }

        // Locust's order: by name, then method.
        Endpoints = [.. endpoints.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)];
        Aggregated = new EndpointStats("", EndpointStats.AggregatedName) { DurationSeconds = DurationSeconds };
        foreach (var endpoint in Endpoints)
        {
            Aggregated.Add(endpoint);
        }

        Failures = [.. runs.SelectMany(r => r.Failures)
            .GroupBy(f => (f.Method, f.Name, f.Error))
            .Select(g => new FailureRecord(g.Key.Method, g.Key.Name, g.Key.Error, g.Sum(f => f.Occurrences)))
            .OrderByDescending(f => f.Occurrences).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ThenBy(f => f.Method, StringComparer.Ordinal).ThenBy(f => f.Error, StringComparer.Ordinal)];

        History = [.. runs.SelectMany(r => r.History)
            .GroupBy(h => h.T)
            .OrderBy(g => g.Key)
            .Select(HistoryPoint.Merge)];

        DroppedIterations = runs.Sum(r => r.DroppedIterations);
        Iterations = runs.Sum(r => r.Iterations);
    }

    public IReadOnlyList<RunPart> Runs { get; }
    public DateTimeOffset StartedAt { get; }
    public DateTimeOffset EndedAt { get; }
    public double DurationSeconds { get; }
    public IReadOnlyList<EndpointStats> Endpoints { get; }
    public EndpointStats Aggregated { get; }
    public IReadOnlyList<FailureRecord> Failures { get; }
    public IReadOnlyList<HistoryPoint> History { get; }
    public long DroppedIterations { get; }
    public long Iterations { get; }

    /// <summary>The highest number of users active at once (summed over regions second by second).</summary>
    public int PeakUsers => History.Count == 0 ? Runs.Sum(r => r.Users) : History.Max(h => h.Users);

    public IEnumerable<EndpointStats> EndpointsAndAggregated => Endpoints.Append(Aggregated);

    /// <summary>Per region: each run on its own (runs with the same label are put together).</summary>
    public IReadOnlyList<(string Label, StatsView View)> PerRegion() =>
        [.. Runs.GroupBy(r => r.RegionLabel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, new StatsView([.. g])))];
}

/// <summary>One second of the run, all endpoints (and regions) together.</summary>
internal sealed class HistoryPoint
{
    public long T { get; init; }
    public int Users { get; init; }
    public long Requests { get; init; }
    public long Failures { get; init; }
    public long SoldOut { get; init; }
    public long SumMicros { get; init; }
    public long MinMicros { get; init; }
    public long MaxMicros { get; init; }
    public long ContentBytes { get; init; }
    public double CpuPercent { get; init; }
    public required LongHistogram Histogram { get; init; }

    public static HistoryPoint Merge(IGrouping<long, HistoryRecord> records)
    {
        var histogram = LatencyHistograms.Create();
        foreach (var record in records)
        {
            histogram.Add(LatencyHistograms.Decode(record.Histogram));
        }

        var withRequests = records.Where(r => r.Requests > 0).ToList();
        return new HistoryPoint
        {
            T = records.Key,
            Users = records.Sum(r => r.Users),
            Requests = records.Sum(r => r.Requests),
            Failures = records.Sum(r => r.Failures),
            SoldOut = records.Sum(r => r.SoldOut),
            SumMicros = records.Sum(r => r.SumMicros),
            MinMicros = withRequests.Count == 0 ? 0 : withRequests.Min(r => r.MinMicros),
            MaxMicros = withRequests.Count == 0 ? 0 : withRequests.Max(r => r.MaxMicros),
            ContentBytes = records.Sum(r => r.ContentBytes),
            CpuPercent = records.Max(r => r.CpuPercent),
            Histogram = histogram,
        };
    }
}
