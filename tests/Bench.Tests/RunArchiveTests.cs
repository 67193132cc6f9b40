using Hyperstore.Bench.Driver.Report;
using Xunit;

namespace Hyperstore.Bench.Tests;

/// <summary>Full runs archived one file each, and found again as the earlier runs of the same build on the same machine.</summary>
public sealed class RunArchiveTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hyperstore-run-archive-" + Guid.NewGuid().ToString("N"));

    private static readonly MachineInfo Epyc = new("AMD EPYC", 2, "23Gi", "6.18", "Debian 12", "10.0.401", "10.0.12", "7.0.15", "wrk 4.1.0");

    private static BenchResult Run(string startedAt, string commit = "abc1234", MachineInfo? machine = null) => new()
    {
        Mode = "full",
        StartedAt = startedAt,
        Commit = commit,
        Machine = machine ?? Epyc,
        Targets = [new TargetRow("Replay speed", "≥ 500,000 events/s", "936,482 events/s", true) { Value = 936_482, ValueFormat = "N0" }],
    };

    [Fact]
    public void EarlierRuns_AreThoseOfTheSameBuildAndMachineThatStartedBefore_OldestFirst()
    {
        RunArchive.Save(_directory, Run("2026-12-02T03:20:00Z"));
        RunArchive.Save(_directory, Run("2026-12-02T02:50:00Z"));
        RunArchive.Save(_directory, Run("2026-12-02T02:40:00Z", commit: "def5678"));
        RunArchive.Save(_directory, Run("2026-12-02T02:45:00Z", machine: Epyc with { Cores = 4 }));
        RunArchive.Save(_directory, Run("2026-12-02T04:00:00Z"));
        var current = Run("2026-12-02T03:30:00Z");

        var earlier = RunArchive.EarlierRuns(_directory, current);

        Assert.Equal(["2026-12-02T02:50:00Z", "2026-12-02T03:20:00Z"], earlier.Select(run => run.StartedAt));
        Assert.Equal(936_482, earlier[0].Targets.Single().Value);
        Assert.Equal("N0", earlier[0].Targets.Single().ValueFormat);
    }

    [Fact]
    public void Save_NamesTheFileByTheStartTime_WithoutTheAcrossRunsTable_AndReplacesTheSameRun()
    {
        var run = Run("2026-12-02T02:47:44Z") with { AcrossRuns = new AcrossRuns("abc1234", ["x", "y"], []) };

        var first = RunArchive.Save(_directory, run);
        var second = RunArchive.Save(_directory, run);

        Assert.Equal("20261202T024744Z.json", Path.GetFileName(first));
        Assert.Equal(first, second);
        Assert.Single(Directory.GetFiles(_directory));
        Assert.DoesNotContain("acrossRuns", File.ReadAllText(first));
    }

    [Fact]
    public void EarlierRuns_LeaveOutAFileThatIsNotARun()
    {
        RunArchive.Save(_directory, Run("2026-12-02T02:50:00Z"));
        File.WriteAllText(Path.Combine(_directory, "20261202T025500Z.json"), "{ not json");

        var earlier = RunArchive.EarlierRuns(_directory, Run("2026-12-02T03:30:00Z"));

        Assert.Single(earlier);
    }

    [Fact]
    public void EarlierRuns_OfAMissingFolder_AreNone() =>
        Assert.Empty(RunArchive.EarlierRuns(Path.Combine(_directory, "missing"), Run("2026-12-02T03:30:00Z")));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
