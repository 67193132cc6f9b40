using System.Text.Json.Nodes;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Hyperstore.Bench.Driver.Report;

/// <summary>A load client run's figures over the seconds after its ramp-up, when every user was running.</summary>
internal sealed record SteadyFigures(double Seconds, long Requests, long Failures, double P50Ms, double P99Ms);

/// <summary>
/// Reads a load client result's per-second history (counters and an HdrHistogram per second, compressed V2 in base64, in
/// microseconds: <c>src/LoadTest/Stats/LatencyHistograms.cs</c>) and merges the seconds after the ramp-up. While users
/// arrive, each first fetches a token, so the ramp-up is a burst of token requests that the steady state does not have.
/// </summary>
internal static class SteadyState
{
    private const long HighestTrackableMicros = 600_000_000;

    /// <summary>
    /// The seconds after the ramp-up of every run in <paramref name="result"/>: one run, or several merged (regions, or
    /// the processes of one step), each judged by its own number of users.
    /// </summary>
    public static SteadyFigures? Of(JsonNode? result)
    {
        var steady = new List<JsonNode>();
        foreach (var run in result?["runs"]?.AsArray() ?? [])
        {
            var users = FigureBuilder.Num(run, "users");
            // Seconds with every user started, less the last one (the stop).
            steady.AddRange(run?["history"]?.AsArray().Where(h => FigureBuilder.Num(h, "users") >= users).SkipLast(1).OfType<JsonNode>() ?? []);
        }
        if (steady.Count == 0)
        {
            return null;
        }
        var merged = new LongHistogram(HighestTrackableMicros, 3);
        long requests = 0, failures = 0;
        foreach (var second in steady)
        {
            requests += (long)FigureBuilder.Num(second, "requests");
            failures += (long)FigureBuilder.Num(second, "failures");
            if (FigureBuilder.Str(second, "histogram") is { Length: > 0 } encoded)
            {
                var buffer = ByteBuffer.Allocate(Convert.FromBase64String(encoded));
                merged.Add(HistogramEncoding.DecodeFromCompressedByteBuffer(buffer, HighestTrackableMicros));
            }
        }
        var seconds = steady.Select(h => FigureBuilder.Num(h, "t")).Distinct().Count();
        return merged.TotalCount == 0
            ? null
            : new SteadyFigures(seconds, requests, failures, Math.Round(merged.GetValueAtPercentile(50) / 1000.0, 1),
                Math.Round(merged.GetValueAtPercentile(99) / 1000.0, 1));
    }
}
