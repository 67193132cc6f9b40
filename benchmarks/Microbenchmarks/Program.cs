using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Hyperstore.Bench.Microbenchmarks;

// scripts/bench.sh --micro runs this: every benchmark class with a short job in this process (no separate build, so other
// builds of the tree are not disturbed), then the figures condensed into one JSON file.
//   hyperstore-microbenchmarks [--out FILE] [--artifacts DIR] [--filter TEXT]
string? output = null, artifacts = null, filter = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--out": output = args[i + 1]; break;
        case "--artifacts": artifacts = args[i + 1]; break;
        case "--filter": filter = args[i + 1]; break;
        default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 1;
    }
}

// More warm-up than ShortRun's 3 iterations: in one process the first benchmarks ran while the JIT was still recompiling
// (tiered PGO), and came out 2-4 times slower than the same code measured later.
var job = Job.ShortRun.WithWarmupCount(10).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess");
var config = ManualConfig.CreateMinimumViable()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithArtifactsPath(artifacts ?? Path.Combine(Path.GetTempPath(), "hyperstore-microbenchmarks"))
    .WithOptions(ConfigOptions.DisableLogFile);
Type[] types = [typeof(CodecBenchmarks), typeof(DeciderBenchmarks), typeof(BuyPathBenchmarks), typeof(TokenBenchmarks), typeof(ClientSecretBenchmarks)];
if (filter is not null)
{
    types = [.. types.Where(t => t.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))];
}

var summaries = BenchmarkRunner.Run(types, config);
var rows = summaries.SelectMany(s => s.Reports.Select(r => new
{
    name = $"{r.BenchmarkCase.Descriptor.Type.Name.Replace("Benchmarks", "", StringComparison.Ordinal)}: {r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo}",
    meanNs = r.ResultStatistics?.Mean,
    medianNs = r.ResultStatistics?.Median,
    stdDevNs = r.ResultStatistics?.StandardDeviation,
    allocatedBytes = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase),
})).ToList();
var result = new { job = "ShortRun, in process", benchmarks = rows };
var text = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
if (output is null)
{
    Console.WriteLine(text);
}
else
{
    File.WriteAllText(output, text + "\n");
}
return rows.Any(r => r.meanNs is null) ? 2 : 0;
