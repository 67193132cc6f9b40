using Hyperstore.Bench.Driver.Report;

namespace Hyperstore.Bench.Driver;

/// <summary>
/// <c>held</c>: whether one load client result (its JSON) held: no failure, and p99 under the limit once every user runs
/// (see <see cref="FigureBuilder.Held"/>).
/// Exit code 0 held, 3 not held; prints one line for the log.
/// </summary>
internal static class HeldCommand
{
    public static Task<int> RunAsync(Options options)
    {
        var file = options.String("result", "");
        var limit = options.Double("p99-ms", FigureBuilder.CapacityP99Ms);
        options.EnsureAllRead();
        var rows = Json.ReadNode(file)?["summary"]?["rows"]?.AsArray();
        var aggregated = rows?.LastOrDefault(r => FigureBuilder.Str(r, "name") == "Aggregated");
        if (aggregated is null)
        {
            Console.WriteLine($"no result in {file}");
            return Task.FromResult(3);
        }
        var failures = (long)FigureBuilder.Num(aggregated, "failures");
        var p99 = FigureBuilder.Num(aggregated, "p99Ms");
        var result = Json.ReadNode(file);
        var steady = SteadyState.Of(result);
        var held = FigureBuilder.Held(failures, p99, steady, limit);
        Console.WriteLine($"{FigureBuilder.Num(aggregated, "requestsPerSecond"):0} req/s, p99 {p99:0.#} ms (with every user running: {(steady is null ? "–" : $"{steady.P99Ms:0.#} ms over {steady.Seconds:0} s")}), {failures} failures: {(held ? "held" : "not held")}");
        return Task.FromResult(held ? 0 : 3);
    }
}
