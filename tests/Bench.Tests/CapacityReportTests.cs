using System.Text.Json.Nodes;
using Hyperstore.Bench.Driver.Report;
using Xunit;

namespace Hyperstore.Bench.Tests;

/// <summary>A capacity step as the report reads it from the suite's raw folder.</summary>
public sealed class CapacityReportTests : IDisposable
{
    private readonly string _raw = Directory.CreateTempSubdirectory("hyperstore-bench-raw-").FullName;

    [Fact]
    public void AStep_CarriesTheApisGcPause_AndRedissLongestStall_IntoTheTable()
    {
        WriteStep(users: 10_000, extra: ""","apiGcPauseSeconds":3.25,"redisStallMaxMs":33,"redisFsyncMaxMs":33""");

        var result = FigureBuilder.Build(new Raw(_raw), "full");
        var step = Assert.Single(result.Capacity);
        var markdown = Markdown.Render(result, micro: null);

        Assert.Equal(3.25, step.Server?.ApiGcPauseSeconds);
        Assert.Equal(33, step.Server?.RedisStallMaxMs);
        Assert.Equal(41.5, step.Server?.WorstIntervalP99Ms);
        Assert.Contains("| 41.5 | 3.3 | 33 (fsync) | 65 % | – | 85 % |", markdown);
    }

    [Fact]
    public void AStepFromAnOlderRun_WithoutThem_ShowsDashes()
    {
        WriteStep(users: 5_000, extra: "");

        var result = FigureBuilder.Build(new Raw(_raw), "full");
        var step = Assert.Single(result.Capacity);

        Assert.Null(step.Server?.ApiGcPauseSeconds);
        Assert.Contains("| 41.5 | – | – | 65 % | – | 85 % |", Markdown.Render(result, micro: null));
    }

    [Fact]
    public void AStep_WithTheApiCoresBusySeconds_ShowsWhatARequestCostTheApiCore()
    {
        // 75 ms of the API core over the step's 1,000 requests.
        WriteStep(users: 10_000, extra: ""","apiCpuSeconds":0.075""");

        var result = FigureBuilder.Build(new Raw(_raw), "full");
        var step = Assert.Single(result.Capacity);

        Assert.Equal(75, step.Server?.ApiCoreMicrosPerRequest);
        Assert.Contains("| 65 % | 75 | 85 % |", Markdown.Render(result, micro: null));
    }

    [Fact]
    public void AStepFromTheFirstRunsWithTheFigure_WhichRecordedTheTickWindow_ShowsTheSame()
    {
        // 0.65 busy over a 0.1 s window is 65 ms of the core.
        WriteStep(users: 10_000, extra: ""","cpuWindowSeconds":0.1""");

        Assert.Equal(65, Assert.Single(FigureBuilder.Build(new Raw(_raw), "full").Capacity).Server?.ApiCoreMicrosPerRequest);
    }

    [Theory]
    [InlineData("no GC for 4,096 MiB: held for the whole load", null)]
    [InlineData("no GC for 4,096 MiB: ended early, the run allocated more", "load client no GC for 4,096 MiB: ended early, the run allocated more")]
    public void AStep_WhoseLoadClientCollectedDespiteTheNoGcRegion_SaysSoInItsNote(string region, string? note)
    {
        WriteStep(users: 15_000, extra: "", client: new JsonObject { ["noGcRegion"] = region });

        var step = Assert.Single(FigureBuilder.Build(new Raw(_raw), "full").Capacity);

        Assert.Equal(note, step.Note);
    }

    public void Dispose() => Directory.Delete(_raw, recursive: true);

    private void WriteStep(int users, string extra, JsonObject? client = null)
    {
        var aggregated = new JsonObject
        {
            ["name"] = "Aggregated", ["requests"] = 1000, ["failures"] = 0, ["requestsPerSecond"] = 100,
            ["medianMs"] = 1, ["p95Ms"] = 5, ["p99Ms"] = 9,
        };
        client ??= [];
        client["cpuSeconds"] = 20;
        client["wallSeconds"] = 40;
        var run = new JsonObject { ["users"] = users, ["client"] = client };
        File.WriteAllText(Path.Combine(_raw, "step.json"),
            new JsonObject { ["summary"] = new JsonObject { ["rows"] = new JsonArray(aggregated) }, ["runs"] = new JsonArray(run) }.ToJsonString());
        // The API's RequestStats lines: the first and last cover seconds outside the step and are left out.
        File.WriteAllLines(Path.Combine(_raw, "api-stats.jsonl"),
            [.. new[] { 90.0, 41.5, 12.0, 80.0 }.Select(p99 => """{"State":{"Requests":500,"P99Ms":""" + p99.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}")]);
        File.WriteAllText(Path.Combine(_raw, "capacity.jsonl"),
            $$"""{"kind":"step","users":{{users}},"file":"step.json","exit":0,"apiStats":"api-stats.jsonl","apiCpuBusy":0.65,"loadCpuBusy":0.85{{extra}}}""" + "\n");
    }
}
