using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hyperstore.LoadTest.Stats;

/// <summary>
/// The JSON result file: one or more runs (one per region after a merge). Only <see cref="Runs"/> is data;
/// <see cref="Summary"/> is derived, written for people and <c>jq</c>, and ignored when read back.
/// </summary>
internal sealed record RunResult
{
    public const string CurrentSchema = "hyperstore-loadtest/1";

    public string Schema { get; init; } = CurrentSchema;

    public IReadOnlyList<RunPart> Runs { get; init; } = [];

    public ResultSummary? Summary { get; init; }

    public static RunResult Load(string path)
    {
        using var stream = File.OpenRead(path);
        var result = JsonSerializer.Deserialize(stream, ResultJsonContext.Default.RunResult)
            ?? throw new InvalidDataException($"{path}: empty result file.");
        if (result.Schema != CurrentSchema)
        {
            throw new InvalidDataException($"{path}: schema '{result.Schema}' is not '{CurrentSchema}'.");
        }

        // JSON null where a list or an object belongs passes deserialization: refuse it here, not in the report.
        if (result.Runs is null || result.Runs.Any(r => r is null || r.Client is null
                || r.Endpoints is null || r.Endpoints.Contains(null) || r.History is null || r.History.Contains(null)
                || r.Failures is null || r.Failures.Contains(null)))
        {
            throw new InvalidDataException($"{path}: a run, or a list or entry of one, is null.");
        }

        CheckHistograms(path, result);
        return result with { Summary = null };
    }

    /// <summary>Decodes every histogram once, so a damaged file is refused by name before anything is reported.</summary>
    private static void CheckHistograms(string path, RunResult result)
    {
        foreach (var run in result.Runs)
        {
            var histograms = run.Endpoints.Select(e => ($"{e.Method} {e.Name}", e.Histogram))
                .Concat(run.History.Select(h => ($"second {h.T}", h.Histogram)));
            foreach (var (where, histogram) in histograms)
            {
                try
                {
                    LatencyHistograms.Decode(histogram);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{path}: run '{run.RegionLabel}', {where}: {e.Message}", e);
                }
            }
        }
    }

    public void Save(string path)
    {
        var withSummary = this with { Summary = ResultSummary.From(new StatsView(Runs)) };
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, withSummary, ResultJsonContext.Default.RunResult);
    }
}

/// <summary>Everything one load client measured in one run. Every number here merges exactly by summing.</summary>
internal sealed record RunPart
{
    public required string RegionLabel { get; init; }
    public required string Host { get; init; }
    public string? Region { get; init; }
    public required string Scenario { get; init; }
    public required string Model { get; init; }
    public int Users { get; init; }
    public double SpawnRate { get; init; }
    public double? ArrivalRate { get; init; }
    public double ThinkMinSeconds { get; init; }
    public double ThinkMaxSeconds { get; init; }
    public int Seed { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset EndedAt { get; init; }
    public long DroppedIterations { get; init; }
    public long Iterations { get; init; }
    public required ClientUsage Client { get; init; }
    public IReadOnlyList<EndpointRecord> Endpoints { get; init; } = [];
    public IReadOnlyList<FailureRecord> Failures { get; init; } = [];
    public IReadOnlyList<HistoryRecord> History { get; init; } = [];
    public LedgerReport? Ledger { get; init; }
}

/// <summary>The load client's own resource use: it must not be the bottleneck.</summary>
internal sealed record ClientUsage
{
    public int ProcessorCount { get; init; }
    public double CpuSeconds { get; init; }
    public double WallSeconds { get; init; }
    public double MaxCpuPercent { get; init; }
    public int Gen0Collections { get; init; }
    public int Gen2Collections { get; init; }
    public long AllocatedBytes { get; init; }

    /// <summary>
    /// Time the client's threads stood still for its own garbage collector. A request in flight meanwhile is measured
    /// that much slower, though the server answered it on time.
    /// </summary>
    public double GcPauseSeconds { get; init; }

    /// <summary>Whether the collector was held off during the load (<c>--no-gc-mb</c>) and whether that lasted; null when not asked.</summary>
    public string? NoGcRegion { get; init; }
    public string ConnectionMode { get; init; } = "";

    /// <summary>CPU used as a share of the whole machine, 0–100.</summary>
    [JsonIgnore]
    public double CpuPercentOfMachine =>
        WallSeconds <= 0 || ProcessorCount <= 0 ? 0 : 100 * CpuSeconds / (WallSeconds * ProcessorCount);
}

internal sealed record EndpointRecord
{
    public required string Method { get; init; }
    public required string Name { get; init; }
    public long Requests { get; init; }
    public long Failures { get; init; }
    public long SoldOut { get; init; }
    public long SumMicros { get; init; }
    public long MinMicros { get; init; }
    public long MaxMicros { get; init; }
    public long ContentBytes { get; init; }

    /// <summary>HdrHistogram compressed V2, base64, microseconds.</summary>
    public string Histogram { get; init; } = "";
}

internal sealed record FailureRecord(string Method, string Name, string Error, long Occurrences);

/// <summary>One second of the run (all endpoints together), labelled by the Unix second at its end.</summary>
internal sealed record HistoryRecord
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
    public string Histogram { get; init; } = "";
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunResult))]
internal sealed partial class ResultJsonContext : JsonSerializerContext;
