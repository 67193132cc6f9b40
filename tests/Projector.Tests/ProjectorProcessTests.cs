using System.Diagnostics;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Projector.Tests;

/// <summary>The projector as a real process: killed mid-backlog, replaced by a standby, rebuilding under load, fed poison.</summary>
[Collection(RedisTestCollection.Name)]
public class ProjectorProcessTests(RedisFixture redis)
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(60);

    private static int Occurrences(string text, string line) =>
        (text.Length - text.Replace(line, string.Empty, StringComparison.Ordinal).Length) / line.Length;

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "not within 10 s: " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>A child's log line reaches us through its console logger and a pipe: wait for it, bounded.</summary>
    private static async Task UntilOutputAsync(ProjectorProcess process, string line)
    {
        var clock = Stopwatch.StartNew();
        while (!process.Output.Contains(line, StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"no '{line}' in the output:\n" + process.Output);
            await Task.Delay(20);
        }
    }

    private static async Task WaitForEventsAsync(LedgerDriver driver, long atLeast, ProjectorProcess process)
    {
        var clock = Stopwatch.StartNew();
        while ((await driver.ViewAsync()).EventCount < atLeast)
        {
            Assert.False(process.HasExited, "the projector exited early:\n" + process.Output);
            Assert.True(clock.Elapsed < CatchUpTimeout, $"fewer than {atLeast} events projected in {CatchUpTimeout.TotalSeconds} s:\n" + process.Output);
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Projector_AnswersItsLagOnHealthReadyAndItsCountersOnMetrics()
    {
        var region = Region.Parse(TestRegions.Unique("h"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(50, parallel: 4);
        var lifetime = new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information" };
        await using var projector = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "platform", lifetime);
        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
        await UntilOutputAsync(projector, "Now listening on: ");
        var listening = System.Text.RegularExpressions.Regex.Match(projector.Output, @"Now listening on: (http://[0-9.]+:[0-9]+)").Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri(listening) };

        // The lag is measured once a second: wait for a measurement taken after the catch-up.
        var clock = Stopwatch.StartNew();
        System.Text.Json.JsonElement answer;
        while (true)
        {
            using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
            answer = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
            if (ready.IsSuccessStatusCode && answer.GetProperty("regions").TryGetProperty(region.Value, out var lag)
                && lag.GetProperty("lagEvents").GetInt64() == 0)
            {
                break;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "no measurement of a caught-up region: " + answer);
            await Task.Delay(100);
        }
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal("Healthy", answer.GetProperty("status").GetString());
        Assert.Equal(0, answer.GetProperty("regions").GetProperty(region.Value).GetProperty("lagMs").GetDouble());
        foreach (var name in new[]
                 {
                     "hyperstore_projection_events_total", "hyperstore_projection_takeovers_total", "hyperstore_projection_lag_events",
                     "hyperstore_projection_lag_milliseconds", "hyperstore_projection_delay_milliseconds_bucket",
                 })
        {
            Assert.Contains($"{name}{{otel_scope_name=\"Hyperstore.Projector\",region=\"{region.Value}\"", metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Projector_KilledInTheMiddleOfABacklogAndRestarted_AppliesEveryEventExactlyOnce()
    {
        var region = Region.Parse(TestRegions.Unique("k"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(30_000, seed: 7, parallel: 64);
        var small = new Dictionary<string, string> { ["Projector__BatchSize"] = "20" };

        long projectedAtKill;
        await using (var first = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "first", small))
        {
            await WaitForEventsAsync(driver, 2_000, first);
            await first.KillAsync();
            projectedAtKill = (await driver.ViewAsync()).EventCount;
        }
        Assert.InRange(projectedAtKill, 2_000, 29_999);

        await using var second = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "second", small);
        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
        await driver.AssertConvergedAsync();
        await UntilOutputAsync(second, "lease taken by second");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Projector_WhenItsReadModelIsDeleted_ProjectsItAgainFromTheStream(bool appendRightAfter)
    {
        var region = Region.Parse(TestRegions.Unique("d"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(300, parallel: 8);
        await using var projector = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "deleted");
        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);

        var model = new LedgerKeys(region).ReadModel;
        await redis.Connection.GetDatabase().KeyDeleteAsync([model.Stock, model.Activity, model.ClientTotals]);
        if (appendRightAfter)
        {
            // The projector is blocked reading after its old position: this entry reaches it first, as a gap.
            await driver.WriteBacklogAsync(1, seed: 2, parallel: 1);
        }

        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
        await driver.AssertConvergedAsync();
    }

    [Fact]
    public async Task Projector_WithTwoReplicas_StandbyTakesOverWithinSecondsWhenTheActiveOneIsKilled()
    {
        var region = Region.Parse(TestRegions.Unique("r"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(30_000, seed: 11, parallel: 64);
        var small = new Dictionary<string, string> { ["Projector__BatchSize"] = "20" };

        await using var a = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "replica-a", small);
        await WaitForEventsAsync(driver, 1, a);
        await using var b = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "replica-b", small);
        await WaitForEventsAsync(driver, 2_000, a);
        // Normally replica-a, which started first; replica-b if a was starved past its lease on a loaded machine (the
        // lease can also be free for an instant while it changes hands).
        var holder = "";
        var asked = Stopwatch.StartNew();
        while (holder is not ("replica-a" or "replica-b"))
        {
            Assert.True(asked.Elapsed < TimeSpan.FromSeconds(10), $"no replica holds the lease (holder '{holder}')");
            holder = (await redis.Connection.GetDatabase().StringGetAsync(new LedgerKeys(region).ProjectorLease)).ToString();
            await Task.Delay(holder is "replica-a" or "replica-b" ? 0 : 10);
        }
        var (active, standby, standbyName) = holder == "replica-a" ? (a, b, "replica-b") : (b, a, "replica-a");
        var takenBefore = Occurrences(standby.Output, $"lease taken by {standbyName}");

        await active.KillAsync();
        var killedAt = Stopwatch.StartNew();
        var before = (await driver.ViewAsync()).EventCount;
        while ((await driver.ViewAsync()).EventCount == before)
        {
            Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(15), "the standby did not take over:\n" + standby.Output);
            await Task.Delay(10);
        }
        // Lease of 2 s in these tests: the standby resumes within seconds (about 2.5 s on a quiet machine).
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(10), $"takeover took {killedAt.Elapsed.TotalSeconds:0.0} s");

        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
        await driver.AssertConvergedAsync();
        await UntilAsync(() => Occurrences(standby.Output, $"lease taken by {standbyName}") > takenBefore, "the standby logs its takeover");
    }

    [Fact]
    public async Task Rebuild_WhileCommandsKeepArriving_NeverShowsALowerPositionAndConverges()
    {
        var region = Region.Parse(TestRegions.Unique("b"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(5_000, seed: 3, parallel: 64);
        await using var projector = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "rebuilder");
        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var writer = Task.Run(async () =>
        {
            var random = new Random(5);
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                await driver.Ledger.AppendAsync(driver.Command(random, i), rememberCommandId: false);
            }
        });
        var reader = Task.Run(async () =>
        {
            var readModel = new ReadModelReader(redis.Connection);
            var highest = StreamPosition.Start;
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var view = await readModel.GetStockAsync(region);
                Assert.True(view.Position >= highest, $"read model went back from {highest} to {view.Position}");
                highest = view.Position;
                reads++;
            }
            return reads;
        });

        var exitCode = await RebuildCommandLine.RunAsync(["--region", region.Value, "--redis", redis.Server.ConnectionString, "--timeout", "60"],
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        await Task.Delay(300);
        await stop.CancelAsync();
        await writer;
        var reads = await reader;

        Assert.Equal(0, exitCode);
        Assert.True(reads > 10);
        var result = await redis.Connection.GetDatabase().HashGetAllAsync(new LedgerKeys(region).RebuildResult);
        Assert.Equal("1", result.Single(e => e.Name == "switched").Value.ToString());
        await UntilOutputAsync(projector, "rebuild done");
        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
        await driver.AssertConvergedAsync();
    }

    [Fact]
    public async Task Projector_GivenAnEntryItCannotDecode_DeadLettersItAfterBoundedDeliveriesAndGoesOn()
    {
        var region = Region.Parse(TestRegions.Unique("x"));
        var driver = new LedgerDriver(redis.Connection, region);
        var keys = new LedgerKeys(region);
        await driver.WriteBacklogAsync(10, parallel: 1);
        // Written by hand, as only a poison entry is: an unknown schema version, and a name given twice.
        var poison = await redis.Connection.GetDatabase().StreamAddAsync(keys.Events,
            [new NameValueEntry("type", "HyperBought"), new NameValueEntry("v", "9"), new NameValueEntry("v", "8")]);
        await driver.WriteBacklogAsync(10, seed: 2, parallel: 1);

        await using var projector = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "poisoned",
            new Dictionary<string, string> { ["Projector__MaxDeliveries"] = "3", ["Projector__RetryDelay"] = "00:00:00.050" });
        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);

        var dead = Assert.Single(await redis.Connection.GetDatabase().StreamRangeAsync(keys.DeadLetters));
        Assert.Equal(poison.ToString(), dead.Values.Single(v => v.Name == "entry").Value.ToString());
        Assert.Contains("schema version", dead.Values.Single(v => v.Name == "reason").Value.ToString(), StringComparison.Ordinal);
        Assert.Equal("3", dead.Values.Single(v => v.Name == "deliveries").Value.ToString());
        Assert.Equal("""[["type","HyperBought"],["v","9"],["v","8"]]""", dead.Values.Single(v => v.Name == "fields").Value.ToString());
        var view = await driver.ViewAsync();
        Assert.Equal(20, view.EventCount);
    }

    [Theory]
    [InlineData("read model deleted")]
    [InlineData("rebuild")]
    [InlineData("restart")]
    public async Task Projector_MeetingADeadLetteredEntryAgain_StepsOverItWithoutASecondLetter(string how)
    {
        var region = Region.Parse(TestRegions.Unique("y"));
        var driver = new LedgerDriver(redis.Connection, region);
        var keys = new LedgerKeys(region);
        var database = redis.Connection.GetDatabase();
        // Two poison entries: a replica that remembered only the last letter it wrote would letter the first one again.
        for (var seed = 1; seed <= 2; seed++)
        {
            await driver.WriteBacklogAsync(5, seed, parallel: 1);
            await database.StreamAddAsync(keys.Events, [new NameValueEntry("type", "HyperBought"), new NameValueEntry("v", "9")]);
        }
        await driver.WriteBacklogAsync(5, seed: 3, parallel: 1);
        var settings = new Dictionary<string, string> { ["Projector__MaxDeliveries"] = "2", ["Projector__RetryDelay"] = "00:00:00.050" };

        await using (var first = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "first", settings))
        {
            await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
            Assert.Equal(2, (await database.StreamRangeAsync(keys.DeadLetters)).Length);
            switch (how)
            {
                case "read model deleted":
                    await database.KeyDeleteAsync([keys.ReadModel.Stock, keys.ReadModel.Activity, keys.ReadModel.ClientTotals]);
                    await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
                    break;
                case "rebuild":
                    var exitCode = await RebuildCommandLine.RunAsync(["--region", region.Value, "--redis", redis.Server.ConnectionString, "--timeout", "60"],
                        new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
                    Assert.Equal(0, exitCode);
                    await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
                    break;
                default:
                    await first.KillAsync();
                    await database.KeyDeleteAsync([keys.ReadModel.Stock, keys.ReadModel.Activity, keys.ReadModel.ClientTotals]);
                    await using (ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "second", settings))
                    {
                        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);
                    }
                    break;
            }
        }

        Assert.Equal(2, (await database.StreamRangeAsync(keys.DeadLetters)).Length);
        Assert.Equal(2, await database.SetLengthAsync(keys.DeadLetteredEntries));
        Assert.Equal(15, (await driver.ViewAsync()).EventCount);
    }

    [Fact]
    public async Task Projector_OnSigterm_FinishesAndExitsWithZero_AndReleasesItsLease()
    {
        var region = Region.Parse(TestRegions.Unique("g"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(200, parallel: 8);
        await using var projector = ProjectorProcess.Start(redis.Server.ConnectionString, region.Value, "graceful");
        await driver.WaitUntilCaughtUpAsync(CatchUpTimeout);

        Assert.True(await projector.TerminateAsync(TimeSpan.FromSeconds(20)), "no exit within 20 s of SIGTERM");

        Assert.Equal(0, projector.ExitCode);
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(new LedgerKeys(region).ProjectorLease));
    }
}
