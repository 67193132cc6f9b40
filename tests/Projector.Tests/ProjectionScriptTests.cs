using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Hyperstore.Testing;
using Xunit;

namespace Hyperstore.Projector.Tests;

/// <summary>project.lua: apply and checkpoint atomically, skip what the checkpoint passed, refuse what does not follow it.</summary>
[Collection(RedisTestCollection.Name)]
public class ProjectionScriptTests(RedisFixture redis)
{
    private async Task<(Region, List<ProjectionItem>)> HistoryAsync(int count)
    {
        var region = Region.Parse(TestRegions.Unique());
        var driver = new LedgerDriver(redis.Connection, region);
        await driver.WriteBacklogAsync(count, parallel: 1);
        var items = new List<ProjectionItem>();
        await foreach (var recorded in new EventStreamReader(redis.Connection).ReadAsync(region, StreamPosition.Start))
        {
            items.Add(new ProjectionItem(recorded.Position, recorded.Event));
        }
        return (region, items);
    }

    [Fact]
    public async Task Apply_TwiceTheSameBatch_AppliesItOnce()
    {
        var (region, items) = await HistoryAsync(20);
        var projection = new ReadModelProjection(redis.Connection);
        var live = new LedgerKeys(region).ReadModel;

        var first = await projection.ApplyAsync(region, live, items);
        var again = await projection.ApplyAsync(region, live, items);
        var overlapping = await projection.ApplyAsync(region, live, items[10..]);

        Assert.Equal((false, 20), (first.Gap, first.Applied));
        Assert.Equal((false, 0), (again.Gap, again.Applied));
        Assert.Equal(0, overlapping.Applied);
        await new LedgerDriver(redis.Connection, region).AssertConvergedAsync();
    }

    [Fact]
    public async Task Apply_ABatchThatSkipsAnEntry_IsAGapAndAppliesNothing()
    {
        var (region, items) = await HistoryAsync(10);
        var projection = new ReadModelProjection(redis.Connection);
        var live = new LedgerKeys(region).ReadModel;
        await projection.ApplyAsync(region, live, items[..3]);

        var gap = await projection.ApplyAsync(region, live, items[4..]);
        var unordered = await projection.ApplyAsync(region, live, [items[4], items[3]]);

        Assert.True(gap.Gap);
        Assert.True(unordered.Gap);
        Assert.Equal(items[2].Position, gap.Checkpoint);
        Assert.Equal(3, (await new ReadModelReader(redis.Connection).GetStockAsync(region)).EventCount);
    }

    [Fact]
    public async Task Apply_ABatchWhoseLastEntryIsNotInTheStream_IsAGapAndAppliesNothing()
    {
        var (region, items) = await HistoryAsync(5);
        var projection = new ReadModelProjection(redis.Connection);
        var live = new LedgerKeys(region).ReadModel;
        await projection.ApplyAsync(region, live, items[..2]);
        var beyondTheHead = items[4] with { Position = new StreamPosition(items[4].Position.Milliseconds + 1000, 0) };

        var result = await projection.ApplyAsync(region, live, [items[2], items[3], beyondTheHead]);

        Assert.True(result.Gap);
        Assert.Equal(items[1].Position, result.Checkpoint);
        Assert.Equal(2, (await new ReadModelReader(redis.Connection).GetStockAsync(region)).EventCount);
    }

    [Fact]
    public async Task Apply_ABatchThatOverlapsTheCheckpoint_AppliesOnlyWhatFollowsIt()
    {
        var (region, items) = await HistoryAsync(12);
        var projection = new ReadModelProjection(redis.Connection);
        var live = new LedgerKeys(region).ReadModel;
        await projection.ApplyAsync(region, live, items[..7]);

        var result = await projection.ApplyAsync(region, live, items[3..]);

        Assert.Equal((false, 5, items[^1].Position), (result.Gap, result.Applied, result.Checkpoint));
        await new LedgerDriver(redis.Connection, region).AssertConvergedAsync();
    }

    [Fact]
    public async Task Apply_ASkipItem_MovesTheCheckpointWithoutApplying()
    {
        var (region, items) = await HistoryAsync(3);
        var projection = new ReadModelProjection(redis.Connection);
        var live = new LedgerKeys(region).ReadModel;

        var result = await projection.ApplyAsync(region, live, [items[0], items[1] with { Event = null }, items[2]]);

        var view = await new ReadModelReader(redis.Connection).GetStockAsync(region);
        Assert.Equal((2, items[2].Position, 2L), (result.Applied, result.Checkpoint, view.EventCount));
    }

    [Fact]
    public async Task Apply_KeepsTheActivityLogCappedNewestFirst()
    {
        var (region, items) = await HistoryAsync(30);
        var projection = new ReadModelProjection(redis.Connection);

        await projection.ApplyAsync(region, new LedgerKeys(region).ReadModel, items, activityCap: 5);

        var activity = await new ReadModelReader(redis.Connection).GetActivityAsync(region, 100);
        Assert.Equal(items.TakeLast(5).Reverse().Select(i => i.Position.ToString()), activity.Select(a => a.Position));
        var newest = items[^1].Event!;
        Assert.Equal((StockEventCodec.TypeName(newest), newest.Client.Value, newest.Quantity.Value, newest.LevelAfter.Value),
            (activity[0].Type, activity[0].Client, activity[0].Quantity, activity[0].Stock));
    }

    [Fact]
    public async Task Apply_ABatchLargerThanTheCapThatOverlapsTheCheckpoint_KeepsTheNewestEntriesAndExactTotals()
    {
        var (region, items) = await HistoryAsync(40);
        var projection = new ReadModelProjection(redis.Connection);
        var live = new LedgerKeys(region).ReadModel;

        await projection.ApplyAsync(region, live, items[..33], activityCap: 5);
        var second = await projection.ApplyAsync(region, live, items, activityCap: 5);

        Assert.Equal(7, second.Applied);
        var activity = await new ReadModelReader(redis.Connection).GetActivityAsync(region, 100);
        Assert.Equal(items.TakeLast(5).Reverse().Select(i => i.Position.ToString()), activity.Select(a => a.Position));
        await new LedgerDriver(redis.Connection, region).AssertConvergedAsync();
    }

    [Fact]
    public async Task SwitchInRebuild_WhenTheRebuiltModelIsBehind_ChangesNothing()
    {
        var (region, items) = await HistoryAsync(6);
        var projection = new ReadModelProjection(redis.Connection);
        var keys = new LedgerKeys(region);
        await projection.ApplyAsync(region, keys.ReadModel, items);
        await projection.ApplyAsync(region, keys.ReadModelRebuild, items[..2]);

        Assert.Equal(RebuildSwitch.Behind, await projection.SwitchInRebuildAsync(region));
        Assert.Equal(items[^1].Position, (await new ReadModelReader(redis.Connection).GetStockAsync(region)).Position);

        await projection.ApplyAsync(region, keys.ReadModelRebuild, items);
        Assert.Equal(RebuildSwitch.Switched, await projection.SwitchInRebuildAsync(region));
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(keys.ReadModelRebuild.Stock));
        await new LedgerDriver(redis.Connection, region).AssertConvergedAsync();
    }

    [Fact]
    public async Task SwitchInRebuild_ByAReplicaThatLostTheLease_ChangesNothing()
    {
        var (region, items) = await HistoryAsync(6);
        var projection = new ReadModelProjection(redis.Connection);
        var keys = new LedgerKeys(region);
        await projection.ApplyAsync(region, keys.ReadModel, items[..2]);
        await projection.ApplyAsync(region, keys.ReadModelRebuild, items);
        await redis.Connection.GetDatabase().StringSetAsync(keys.ProjectorLease, "other", TimeSpan.FromSeconds(30));

        Assert.Equal(RebuildSwitch.NotLeaseHolder, await projection.SwitchInRebuildAsync(region, "rebuilder"));
        Assert.Equal(items[1].Position, (await new ReadModelReader(redis.Connection).GetStockAsync(region)).Position);
        Assert.Equal(RebuildSwitch.Switched, await projection.SwitchInRebuildAsync(region, "other"));
    }
}
