using System.Text.Json;

namespace Hyperstore.Bench.Driver.Report;

/// <summary>
/// The figures of every full run, one file each in <c>benchmarks/results/runs/</c>. Unlike the raw folders they are kept
/// in git, so the runs of one build can be set side by side on any checkout, not only on the machine that made them.
/// </summary>
internal static class RunArchive
{
    /// <summary>Writes the run as <c>20261202T024744Z.json</c> (its start time); the same run written again replaces itself.</summary>
    public static string Save(string directory, BenchResult run)
    {
        var path = Path.Combine(directory, run.StartedAt.Replace("-", "").Replace(":", "") + ".json");
        Json.Write(path, run with { AcrossRuns = null });
        return path;
    }

    /// <summary>
    /// The archived full runs that started before <paramref name="current"/>, of the same build on the same kind of
    /// machine (CPU model and cores), oldest first. A file that cannot be read is named on stderr and left out.
    /// </summary>
    public static IReadOnlyList<BenchResult> EarlierRuns(string directory, BenchResult current)
    {
        if (current.Commit is null || !Directory.Exists(directory))
        {
            return [];
        }
        var earlier = new List<BenchResult>();
        foreach (var path in Directory.GetFiles(directory, "*.json"))
        {
            BenchResult? run;
            try
            {
                run = JsonSerializer.Deserialize<BenchResult>(File.ReadAllText(path), Json.Options);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                Console.Error.WriteLine($"report: {path} left out of the runs compared: {e.Message}");
                continue;
            }
            if (run is { Mode: "full" }
                && run.Commit == current.Commit
                && run.Machine?.CpuModel == current.Machine?.CpuModel
                && run.Machine?.Cores == current.Machine?.Cores
                && string.CompareOrdinal(run.StartedAt, current.StartedAt) < 0)
            {
                earlier.Add(run);
            }
        }
        return [.. earlier.OrderBy(run => run.StartedAt, StringComparer.Ordinal)];
    }
}
