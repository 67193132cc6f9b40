using Hyperstore.Bench.Driver.Report;
using Xunit;

namespace Hyperstore.Bench.Tests;

/// <summary>Which redis-benchmark row the PUT is compared with.</summary>
public sealed class YardstickTests : IDisposable
{
    private readonly string _raw = Directory.CreateTempSubdirectory("hyperstore-bench-raw-").FullName;

    [Fact]
    public void ThePut_IsComparedWithTheScriptCalledAsAPut_NotWithTheCheaperBuyWithoutItsRecord()
    {
        WriteYardsticks(
            ("EVALSHA append.lua as a PUT", 20_000),
            ("EVALSHA append.lua as a PUT, pipelined 16", 50_000),
            ("EVALSHA append.lua without idempotency record, pipelined 16", 80_000));
        WritePut(requestsPerSecond: 16_000);

        var result = FigureBuilder.Build(new Raw(_raw), "full");
        var put = Assert.Single(result.Throughput);

        Assert.Equal(0.32, put.RatioToRedis!.Value, precision: 3);
        Assert.Contains(result.Targets, t => t.Name.Contains("EVALSHA", StringComparison.Ordinal) && t.Met == true);
        Assert.Contains("Pipelined, the script as a PUT calls it did 0.63× the calls/s of the same buy without its idempotency record", Markdown.Render(result, micro: null));
        Assert.Contains("the PUT at 256 connections is 0.20×", Markdown.Render(result, micro: null));
    }

    [Fact]
    public void ARunFromBeforeTheRecordWasDriven_KeepsItsBestEvalshaRowAsTheCeiling()
    {
        WriteYardsticks(("EVALSHA append.lua", 30_000), ("EVALSHA append.lua, pipelined 16", 80_000));
        WritePut(requestsPerSecond: 16_000);

        var put = Assert.Single(FigureBuilder.Build(new Raw(_raw), "full").Throughput);

        Assert.Equal(0.2, put.RatioToRedis!.Value, precision: 3);
    }

    [Fact]
    public void WhenTheRowsAsAPutGaveNoResult_TheBuyWithoutItsRecordIsNotTakenForTheCeiling()
    {
        WriteYardsticks(("EVALSHA append.lua without idempotency record, pipelined 16", 80_000));
        WritePut(requestsPerSecond: 16_000);

        var result = FigureBuilder.Build(new Raw(_raw), "full");

        Assert.Null(Assert.Single(result.Throughput).RatioToRedis);
        Assert.Contains(result.Targets, t => t.Name.Contains("EVALSHA", StringComparison.Ordinal) && t.Met is null);
    }

    [Fact]
    public void TheComparisonWithTheOldYardstick_TakesOnlyTheRunsAppendfsync()
    {
        File.WriteAllText(Path.Combine(_raw, "config.json"), """{"fsync":"always"}""");
        WriteYardsticksUnder(
            ("EVALSHA append.lua as a PUT, pipelined 16", 50_000, "always"),
            ("EVALSHA append.lua without idempotency record, pipelined 16", 80_000, "always"),
            ("EVALSHA append.lua as a PUT, pipelined 16", 90_000, "everysec"));
        WritePut(requestsPerSecond: 16_000);

        var result = FigureBuilder.Build(new Raw(_raw), "full");

        Assert.Equal(0.32, Assert.Single(result.Throughput).RatioToRedis!.Value, precision: 3);
        Assert.Contains("did 0.63× the calls/s", Markdown.Render(result, micro: null));
    }

    public void Dispose() => Directory.Delete(_raw, recursive: true);

    private void WriteYardsticks(params (string Name, int RequestsPerSecond)[] rows) =>
        WriteYardsticksUnder([.. rows.Select(r => (r.Name, r.RequestsPerSecond, "always"))]);

    private void WriteYardsticksUnder(params (string Name, int RequestsPerSecond, string Fsync)[] rows) =>
        File.WriteAllLines(Path.Combine(_raw, "redis-benchmark.jsonl"),
            [.. rows.Select(r => $$"""{"name":"{{r.Name}}","fsync":"{{r.Fsync}}","rps":{{r.RequestsPerSecond}},"p50_ms":1,"p99_ms":2}""")]);

    private void WritePut(int requestsPerSecond) =>
        File.WriteAllText(Path.Combine(_raw, "wrk.jsonl"),
            $$"""{"phase":"throughput","target":"api","endpoint":"PUT /api/hyper/own","connections":256,"rep":1,"requests":{{requestsPerSecond * 8}},"duration_us":8000000,"bytes":0,"connect_errors":0,"read_errors":0,"write_errors":0,"status_errors":0,"timeout_errors":0,"p50_us":1000,"p90_us":2000,"p99_us":3000,"p999_us":4000,"max_us":5000,"mean_us":1200.0}""" + "\n");
}
