using HdrHistogram;

namespace Hyperstore.LoadTest.Stats;

/// <summary>
/// Statistics of one endpoint (or of all of them, "Aggregated") over one or more runs:
/// sums, exact min/max and a merged histogram, so every figure is exact, never an average of averages.
/// </summary>
internal sealed class EndpointStats(string method, string name)
{
    public const string AggregatedName = "Aggregated";

    public string Method { get; } = method;
    public string Name { get; } = name;
    public long Requests { get; private set; }
    public long Failures { get; private set; }
    public long SoldOut { get; private set; }
    public long SumMicros { get; private set; }
    public long MinMicros { get; private set; }
    public long MaxMicros { get; private set; }
    public long ContentBytes { get; private set; }
    public LongHistogram Histogram { get; } = LatencyHistograms.Create();

    /// <summary>Seconds the figures were collected over, for the per-second rates.</summary>
    public double DurationSeconds { get; set; }

    public bool IsAggregated => Name == AggregatedName && Method.Length == 0;

    public void Add(EndpointRecord record) =>
        Add(record.Requests, record.Failures, record.SoldOut, record.SumMicros, record.MinMicros, record.MaxMicros,
            record.ContentBytes, LatencyHistograms.Decode(record.Histogram));

    public void Add(EndpointStats other) =>
        Add(other.Requests, other.Failures, other.SoldOut, other.SumMicros, other.MinMicros, other.MaxMicros,
            other.ContentBytes, other.Histogram);

    private void Add(long requests, long failures, long soldOut, long sum, long min, long max, long bytes, HistogramBase histogram)
    {
        if (requests > 0)
        {
            MinMicros = Requests == 0 ? min : Math.Min(MinMicros, min);
            MaxMicros = Math.Max(MaxMicros, max);
        }

        Requests += requests;
        Failures += failures;
        SoldOut += soldOut;
        SumMicros += sum;
        ContentBytes += bytes;
        Histogram.Add(histogram);
    }

    public double AverageMs => Requests == 0 ? 0 : SumMicros / 1000.0 / Requests;
    public double MinMs => MinMicros / 1000.0;
    public double MaxMs => MaxMicros / 1000.0;
    public double MedianMs => PercentileMs(50);
    public double AverageContentSize => Requests == 0 ? 0 : (double)ContentBytes / Requests;
    public double RequestsPerSecond => DurationSeconds <= 0 ? 0 : Requests / DurationSeconds;
    public double FailuresPerSecond => DurationSeconds <= 0 ? 0 : Failures / DurationSeconds;
    public double FailureRatio => Requests == 0 ? 0 : (double)Failures / Requests;

    /// <summary>The latency at <paramref name="percentile"/> (0–100) in ms, held within the exact min and max.</summary>
    public double PercentileMs(double percentile)
    {
        if (Requests == 0 || Histogram.TotalCount == 0)
        {
            return 0;
        }

        long micros = percentile >= 100 ? MaxMicros : Histogram.GetValueAtPercentile(percentile);
        return Math.Clamp(micros, MinMicros, MaxMicros) / 1000.0;
    }
}
