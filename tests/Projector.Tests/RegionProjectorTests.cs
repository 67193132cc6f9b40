using System.Diagnostics;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Xunit;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Projector.Tests;

/// <summary>
/// <see cref="RegionProjector"/> in this process. A rebuild can last longer than the lease: the rebuilding replica keeps
/// renewing it, so a standby does not take the region over halfway; and if the lease is gone all the same, the rebuild
/// stops and leaves the live model as it was. Snapshots are replay states only.
/// </summary>
[Collection(RedisTestCollection.Name)]
public sealed class RegionProjectorTests(RedisFixture redis)
{
    // Batches of one make the rebuild of these backlogs take seconds, well past the one-second lease.
    private static ProjectorOptions Options(string consumer) => new()
    {
        ConsumerName = consumer,
        BatchSize = 1,
        LeaseDuration = TimeSpan.FromSeconds(1),
        LeaseRenewInterval = TimeSpan.FromMilliseconds(100),
    };

    private RegionProjector Projector(Region region, ProjectorOptions options) =>
        new(region, options, redis.Connection, redis.Connection, ProjectorMetrics.Standalone(), NullLogger.Instance);

    [Fact]
    public async Task Rebuild_LongerThanTheLease_KeepsTheLeaseAndSwitchesIn()
    {
        var region = Region.Parse(TestRegions.Unique("l"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(12_000, parallel: 64);
        var options = Options("rebuilder");
        Assert.True(await new ProjectionLease(region, redis.Connection, options.ConsumerName, options.LeaseDuration).HoldAsync());
        var standby = new ProjectionLease(region, redis.Connection, "standby", options.LeaseDuration);
        using var done = new CancellationTokenSource();
        var takeovers = Task.Run(async () =>
        {
            var taken = 0;
            while (!done.IsCancellationRequested)
            {
                taken += await standby.HoldAsync() ? 1 : 0;
                await Task.Delay(20);
            }
            return taken;
        });
        var clock = Stopwatch.StartNew();

        await Projector(region, options).RebuildAsync(fromSnapshot: false, CancellationToken.None);
        var took = clock.Elapsed;
        await done.CancelAsync();

        Assert.True(took > options.LeaseDuration, $"the rebuild took {took}, not longer than the lease: it proves nothing");
        Assert.Equal(0, await takeovers);
        await driver.AssertConvergedAsync();
    }

    [Fact]
    public async Task Snapshots_AfterTheReadModelSteppedOverAnUnreadableEntry_AreNoLongerTaken()
    {
        var region = Region.Parse(TestRegions.Unique("s"));
        var driver = new LedgerDriver(redis.Connection, region);
        var keys = new LedgerKeys(region);
        await driver.WriteBacklogAsync(12, parallel: 1);
        var poison = StreamPosition.Parse((await redis.Connection.GetDatabase().StreamAddAsync(keys.Events,
            [new NameValueEntry("type", "HyperBought"), new NameValueEntry("v", "9")])).ToString());
        await driver.WriteBacklogAsync(12, seed: 2, parallel: 1);
        var options = Options("snapshotter");
        (options.BatchSize, options.SnapshotEvery, options.MaxDeliveries, options.ReadBlock) = (4, 4, 1, TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var running = Projector(region, options).RunAsync(stop.Token);
        await driver.WaitUntilCaughtUpAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await running;

        var snapshot = await new Snapshots(redis.Connection).LoadAsync(region);
        Assert.NotNull(snapshot);
        Assert.True(snapshot.Position < poison, $"a snapshot at {snapshot.Position}, after the unreadable entry {poison}");
        Assert.Equal(24, (await driver.ViewAsync()).EventCount);
    }

    [Fact]
    public async Task Rebuild_WhoseLeaseIsTaken_StopsAndLeavesTheLiveModel()
    {
        var region = Region.Parse(TestRegions.Unique("t"));
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(4_000, parallel: 64);
        var keys = new LedgerKeys(region);
        var options = Options("rebuilder");
        Assert.True(await new ProjectionLease(region, redis.Connection, options.ConsumerName, options.LeaseDuration).HoldAsync());
        var liveBefore = await driver.ViewAsync();
        var database = redis.Connection.GetDatabase();

        // Once the rebuild is under way, the lease goes to another replica (as after a pause longer than the lease).
        var steal = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            while ((await database.HashGetAsync(keys.ReadModelRebuild.Stock, "events")).IsNull)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the rebuild never started");
                await Task.Delay(5);
            }
            await database.StringSetAsync(keys.ProjectorLease, "other", TimeSpan.FromSeconds(30));
        });

        var interrupted = await Assert.ThrowsAsync<RebuildInterruptedException>(
            () => Projector(region, options).RebuildAsync(fromSnapshot: false, CancellationToken.None));
        await steal;

        Assert.Contains("other", interrupted.Message, StringComparison.Ordinal);
        Assert.Equal(liveBefore, await driver.ViewAsync());
        Assert.False((await database.HashGetAsync(keys.RebuildResult, "at")).HasValue);
    }
}
