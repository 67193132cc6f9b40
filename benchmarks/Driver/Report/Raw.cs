using System.Text.Json.Nodes;

namespace Hyperstore.Bench.Driver.Report;

/// <summary>
/// The raw measurements scripts/bench.sh leaves in one directory: JSON lines from wrk and redis-benchmark, the load client's
/// result files, and the driver's own outputs. Every file may be missing (a phase skipped or failed); figures are then absent.
/// </summary>
internal sealed class Raw(string directory)
{
    public string Directory { get; } = directory;

    public JsonNode? Config => Json.ReadNode(Path.Combine(Directory, "config.json"));
    public JsonNode? Machine => Json.ReadNode(Path.Combine(Directory, "machine.json"));
    public IReadOnlyList<JsonObject> Wrk => Json.ReadLines(Path.Combine(Directory, "wrk.jsonl"));
    public IReadOnlyList<JsonObject> RedisBenchmark => Json.ReadLines(Path.Combine(Directory, "redis-benchmark.jsonl"));
    public IReadOnlyList<JsonObject> Capacity => Json.ReadLines(Path.Combine(Directory, "capacity.jsonl"));
    public JsonNode? Lag => Json.ReadNode(Path.Combine(Directory, "lag.json"));
    public JsonNode? Seed => Json.ReadNode(Path.Combine(Directory, "seed.json"));
    public JsonNode? Replay => Json.ReadNode(Path.Combine(Directory, "replay.json"));
    public JsonNode? Verify => Json.ReadNode(Path.Combine(Directory, "verify.json"));
    public JsonNode? Micro => Json.ReadNode(Path.Combine(Directory, "micro.json"));

    public IReadOnlyList<string> Notes =>
        File.Exists(Path.Combine(Directory, "notes.txt"))
            ? [.. File.ReadAllLines(Path.Combine(Directory, "notes.txt")).Where(l => l.Length > 0)]
            : [];

    public JsonNode? LoadTest(string relativePath) => Json.ReadNode(Path.Combine(Directory, relativePath));

    public IReadOnlyList<JsonObject> Lines(string relativePath) => Json.ReadLines(Path.Combine(Directory, relativePath));
}
