using System.Text.Json.Nodes;
using Hyperstore.Bench.Driver.Report;
using Hyperstore.LoadTest.Stats;
using Xunit;

namespace Hyperstore.Bench.Tests;

/// <summary>The seconds of a capacity step after its ramp-up, from one load client run or several merged.</summary>
public class SteadyStateTests
{
    [Fact]
    public void Of_MergedRuns_JudgesEachRunByItsOwnUsers_AndLeavesOutRampUpAndTheLastSecond()
    {
        var result = Result(
            Run(users: 2,
                Second(t: 100, users: 1, requests: 1, micros: 900_000),
                Second(t: 101, users: 2, requests: 100, micros: 10_000),
                Second(t: 102, users: 2, requests: 100, micros: 10_000),
                Second(t: 103, users: 2, requests: 1, micros: 5_000_000)),
            Run(users: 3,
                Second(t: 101, users: 3, requests: 100, micros: 20_000),
                Second(t: 102, users: 3, requests: 1, micros: 5_000_000)));

        var steady = SteadyState.Of(result);

        Assert.NotNull(steady);
        Assert.Equal(2, steady.Seconds);
        Assert.Equal(300, steady.Requests);
        Assert.Equal(10, steady.P50Ms);
        Assert.Equal(20, steady.P99Ms);
    }

    [Fact]
    public void Of_ARunThatNeverHadAllItsUsers_HasNoSteadyState()
    {
        var result = Result(Run(users: 5, Second(t: 100, users: 4, requests: 10, micros: 1_000), Second(t: 101, users: 4, requests: 10, micros: 1_000)));

        Assert.Null(SteadyState.Of(result));
    }

    // Read back from text, as the driver reads a result file.
    private static JsonNode? Result(params JsonObject[] runs) => JsonNode.Parse(new JsonObject { ["runs"] = new JsonArray(runs) }.ToJsonString());

    private static JsonObject Run(int users, params JsonObject[] seconds) => new() { ["users"] = users, ["history"] = new JsonArray(seconds) };

    private static JsonObject Second(long t, int users, long requests, long micros)
    {
        var histogram = LatencyHistograms.Create();
        histogram.RecordValueWithCount(micros, requests);
        return new JsonObject
        {
            ["t"] = t, ["users"] = users, ["requests"] = requests, ["failures"] = 0, ["histogram"] = LatencyHistograms.Encode(histogram),
        };
    }
}
