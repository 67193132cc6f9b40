using System.Text.Json;

namespace Hyperstore.Bench.Driver.Report;

/// <summary>
/// <c>report</c>: the last step of scripts/bench.sh. A full run writes <c>latest.json</c>, a quick one <c>quick.json</c>, a run
/// stopped early <c>partial.json</c>; a micro run writes <c>micro.json</c>. Full and micro runs then regenerate the figures of the performance document from
/// <c>latest.json</c> and <c>micro.json</c> together (a quick run is too short to stand in the document). A full run is also
/// archived in <c>runs/</c> and set beside the archived runs of the same build (<see cref="RunArchive"/>).
/// </summary>
internal static class ReportCommand
{
    public static Task<int> RunAsync(Options options)
    {
        var raw = new Raw(options.String("raw", "benchmarks/results/raw/last"));
        var results = options.String("results", "benchmarks/results");
        var mode = options.String("mode", "full");
        var doc = options.OptionalString("doc");
        var across = (int)options.Long("across", 5);
        options.EnsureAllRead();
        Directory.CreateDirectory(results);

        var latestPath = Path.Combine(results, "latest.json");
        var microPath = Path.Combine(results, "micro.json");
        BenchResult? system;
        if (mode == "micro")
        {
            var micro = raw.Micro ?? throw new ArgumentException($"No micro.json in {raw.Directory}.");
            micro["machine"] = raw.Machine?.DeepClone();
            micro["commit"] = raw.Config?["commit"]?.DeepClone();
            micro["startedAt"] = raw.Config?["startedAt"]?.DeepClone();
            File.WriteAllText(microPath, micro.ToJsonString(Json.Options) + "\n");
            system = File.Exists(latestPath) ? JsonSerializer.Deserialize<BenchResult>(File.ReadAllText(latestPath), Json.Options) : null;
            Console.WriteLine(Markdown.Render(null, micro).Split("#### Microbenchmarks")[^1].Insert(0, "#### Microbenchmarks"));
        }
        else
        {
            system = FigureBuilder.Build(raw, mode);
            if (mode == "full")
            {
                var archive = Path.Combine(results, "runs");
                var runs = RunArchive.EarlierRuns(archive, system).TakeLast(Math.Max(across - 1, 0)).Append(system).ToList();
                RunArchive.Save(archive, system);
                system = system with { AcrossRuns = runs.Count > 1 ? FigureBuilder.Across(runs) : null };
            }
            Json.Write(Path.Combine(results, mode == "full" ? "latest.json" : mode + ".json"), system);
            Console.WriteLine(Markdown.Render(system, null).Split("#### Microbenchmarks")[0]);
        }

        if (doc is not null && mode is "full" or "micro")
        {
            var micro = Json.ReadNode(microPath);
            var document = File.Exists(doc) ? File.ReadAllText(doc) : "# Performance\n";
            File.WriteAllText(doc, Markdown.Splice(document, Markdown.Render(system, micro)));
            Console.WriteLine($"Figures written to {doc}.");
        }
        return Task.FromResult(0);
    }
}
