using Hyperstore.Bench.Driver.Report;
using Xunit;

namespace Hyperstore.Bench.Tests;

/// <summary>Several full runs of one commit side by side: each run's value, the median and how often the target was met.</summary>
public class AcrossRunsTests
{
    private static BenchResult Run(string startedAt, double? replay, bool? replayMet, double ratio) => new()
    {
        StartedAt = startedAt,
        Commit = "abc1234",
        Targets =
        [
            new TargetRow("Replay speed", "≥ 500,000 events/s", "", replayMet) { Value = replay, ValueFormat = "N0" },
            new TargetRow("PUT vs bare buy", "≥ 0.6×", "", ratio >= 0.6) { Value = ratio, ValueFormat = "0.00" },
        ],
    };

    [Fact]
    public void Across_GivesEachRunOldestFirst_TheMedianOfTheMeasuredValues_AndHowOftenTheTargetWasMet()
    {
        var across = FigureBuilder.Across(
        [
            Run("2026-11-30T05:00:00Z", 560_000, true, 0.50),
            Run("2026-11-30T04:00:00Z", 520_000, true, 0.61),
            Run("2026-11-30T04:30:00Z", null, null, 0.59),
        ]);

        Assert.Equal(["2026-11-30T04:00:00Z", "2026-11-30T04:30:00Z", "2026-11-30T05:00:00Z"], across.StartedAt);
        var replay = across.Rows[0];
        Assert.Equal([520_000, null, 560_000], replay.Values);
        Assert.Equal(540_000, replay.Median);
        Assert.Equal((2, 2), (replay.Met, replay.Judged));
        var put = across.Rows[1];
        Assert.Equal(0.59, put.Median);
        Assert.Equal((1, 3), (put.Met, put.Judged));
    }
}
