namespace Hyperstore.LoadTest.Stats;

/// <summary>Derived figures written into the JSON beside the data, for readers that do not decode histograms.</summary>
internal sealed record ResultSummary
{
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset EndedAt { get; init; }
    public IReadOnlyList<string> Regions { get; init; } = [];
    public IReadOnlyList<SummaryRow> Rows { get; init; } = [];
    public bool? LedgerPassed { get; init; }

    public static ResultSummary From(StatsView view) => new()
    {
        StartedAt = view.StartedAt,
        EndedAt = view.EndedAt,
        Regions = [.. view.Runs.Select(r => r.RegionLabel)],
        Rows = [.. view.EndpointsAndAggregated.Select(SummaryRow.From)],
        LedgerPassed = LedgerVerdict.Of(view.Runs),
    };
}

internal sealed record SummaryRow
{
    public string Method { get; init; } = "";
    public string Name { get; init; } = "";
    public long Requests { get; init; }
    public long Failures { get; init; }
    public long SoldOut { get; init; }
    public double AvgMs { get; init; }
    public double MinMs { get; init; }
    public double MaxMs { get; init; }
    public double MedianMs { get; init; }
    public double P95Ms { get; init; }
    public double P99Ms { get; init; }
    public double RequestsPerSecond { get; init; }
    public double FailuresPerSecond { get; init; }

    public static SummaryRow From(EndpointStats e) => new()
    {
        Method = e.Method,
        Name = e.Name,
        Requests = e.Requests,
        Failures = e.Failures,
        SoldOut = e.SoldOut,
        AvgMs = Math.Round(e.AverageMs, 3),
        MinMs = e.MinMs,
        MaxMs = e.MaxMs,
        MedianMs = e.MedianMs,
        P95Ms = e.PercentileMs(95),
        P99Ms = e.PercentileMs(99),
        RequestsPerSecond = Math.Round(e.RequestsPerSecond, 3),
        FailuresPerSecond = Math.Round(e.FailuresPerSecond, 3),
    };
}
