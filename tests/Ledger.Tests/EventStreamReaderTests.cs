using System.Runtime.CompilerServices;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Ledger.Tests;

[Collection(RedisTestCollection.Name)]
public class EventStreamReaderTests(RedisFixture redis)
{
    private static readonly ClientId Client = ClientId.Parse("ops");

    private async Task<(Region Region, List<StreamPosition> Positions)> RestockTimes(int count)
    {
        var region = Region.Parse(TestRegions.Unique());
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions());
        var positions = new List<StreamPosition>();
        for (var i = 0; i < count; i++)
        {
            var result = (AppendResult.Applied)await ledger.AppendAsync(
                RestockHyper.Create(region, 1, Client, CommandId.New(), DateTimeOffset.UtcNow), rememberCommandId: false);
            positions.Add(result.Position);
        }
        return (region, positions);
    }

    [Fact]
    public void DefaultPageSize_KeepsAPageArrayOffTheLargeObjectHeap()
    {
        // A page arrives as one StreamEntry[]. From 85,000 bytes (array header included) .NET puts an array on the large
        // object heap, which only gen2 collections free: replays of pages that large ran at about 0.6 times the speed.
        const int LargeObjectThreshold = 85_000;
        const int ArrayHeader = 24;

        long pageBytes = ArrayHeader + (long)EventStreamReader.DefaultPageSize * Unsafe.SizeOf<StreamEntry>();

        Assert.True(pageBytes < LargeObjectThreshold, $"A page of {EventStreamReader.DefaultPageSize} entries takes {pageBytes} bytes.");
    }

    [Fact]
    public async Task Read_PagesThroughTheWholeStreamInOrder()
    {
        var (region, positions) = await RestockTimes(23);

        var read = new List<StreamPosition>();
        await foreach (var recorded in new EventStreamReader(redis.Connection).ReadAsync(region, StreamPosition.Start, pageSize: 5))
        {
            read.Add(recorded.Position);
        }

        Assert.Equal(positions, read);
    }

    [Theory]
    [InlineData(10, 5)]
    [InlineData(10, 1)]
    [InlineData(10, 10)]
    public async Task Read_AWholeNumberOfPages_EndsAtTheLastEvent(int events, int pageSize)
    {
        var (region, positions) = await RestockTimes(events);

        var read = new List<StreamPosition>();
        await foreach (var recorded in new EventStreamReader(redis.Connection).ReadAsync(region, StreamPosition.Start, pageSize: pageSize))
        {
            read.Add(recorded.Position);
        }

        Assert.Equal(positions, read);
    }

    [Fact]
    public async Task Read_StoppedEarly_LeavesTheReaderUsable()
    {
        var (region, positions) = await RestockTimes(12);
        var reader = new EventStreamReader(redis.Connection);

        // The next page is already asked for when the reader stops: it is dropped, and nothing breaks.
        var firstTwo = new List<StreamPosition>();
        await foreach (var recorded in reader.ReadAsync(region, StreamPosition.Start, pageSize: 4))
        {
            firstTwo.Add(recorded.Position);
            if (firstTwo.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(positions.Take(2), firstTwo);
        Assert.Equal(12, (await reader.ReplayAsync(region, pageSize: 4)).State.EventCount);
    }

    [Fact]
    public async Task Read_FromAPosition_StartsRightAfterIt()
    {
        var (region, positions) = await RestockTimes(6);

        var page = await new EventStreamReader(redis.Connection).ReadPageAsync(region, positions[2], 100);

        Assert.Equal(positions.Skip(3), page.Select(e => e.Position));
    }

    [Fact]
    public async Task Replay_UpToAPosition_GivesTheStockAsOfThatPosition()
    {
        var (region, positions) = await RestockTimes(10);
        var reader = new EventStreamReader(redis.Connection);

        var asOfFourth = await reader.ReplayAsync(region, upTo: positions[3], pageSize: 3);
        var whole = await reader.ReplayAsync(region, pageSize: 3);

        Assert.Equal((4L, 4L, positions[3]), (asOfFourth.State.Level.Value, asOfFourth.State.EventCount, asOfFourth.Position));
        Assert.Equal((10L, positions[^1]), (whole.State.Level.Value, whole.Position));
        Assert.Equal(positions[^1], await reader.HeadAsync(region));
    }

    [Fact]
    public async Task Replay_FromASnapshot_EqualsReplayFromTheStart()
    {
        var (region, _) = await RestockTimes(12);
        var reader = new EventStreamReader(redis.Connection);
        var snapshot = await reader.ReplayAsync(region, upTo: (await reader.ReadPageAsync(region, StreamPosition.Start, 5))[^1].Position);

        Assert.Equal(await reader.ReplayAsync(region), await reader.ReplayAsync(region, from: snapshot));
    }

    [Fact]
    public async Task Replay_OfAnEmptyStream_IsTheInitialState()
    {
        var region = Region.Parse(TestRegions.Unique());
        var reader = new EventStreamReader(redis.Connection);

        var replay = await reader.ReplayAsync(region);

        Assert.Equal((0L, StreamPosition.Start), (replay.State.Level.Value, replay.Position));
        Assert.Equal(StreamPosition.Start, await reader.HeadAsync(region));
    }

    [Fact]
    public async Task Replay_OfAStreamWrittenBeforeAndAfterSchemaVersion2_FoldsEveryEvent()
    {
        var region = Region.Parse(TestRegions.Unique());
        var version1 = await redis.Connection.GetDatabase().StreamAddAsync(new LedgerKeys(region).Events,
        [
            new NameValueEntry("type", "StockLevelSet"), new NameValueEntry("v", "1"), new NameValueEntry("qty", "10"),
            new NameValueEntry("before", "0"), new NameValueEntry("after", "10"), new NameValueEntry("client", "ops"),
            new NameValueEntry("cmd", "old"), new NameValueEntry("at", "1764400000000"),
        ]);
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions());
        await redis.Connection.GetDatabase().StringSetAsync(new LedgerKeys(region).Stock, 10);
        await ledger.AppendAsync(BuyHyper.Create(region, 1, Client, CommandId.New(), DateTimeOffset.UtcNow));

        var reader = new EventStreamReader(redis.Connection);
        var events = await reader.ReadPageAsync(region, StreamPosition.Start, 10);
        var replay = await reader.ReplayAsync(region);

        Assert.Equal([(version1.ToString(), 1), (events[1].Position.ToString(), 2)],
            events.Select(e => (e.Position.ToString(), e.Event.SchemaVersion)));
        Assert.Equal(9, replay.State.Level.Value);
    }

    [Fact]
    public async Task Read_OfAMalformedEntry_ReportsWhichEntryAndWhy()
    {
        var region = Region.Parse(TestRegions.Unique());
        var id = await redis.Connection.GetDatabase().StreamAddAsync(new LedgerKeys(region).Events, [new NameValueEntry("type", "HyperBought"), new NameValueEntry("v", "1")]);

        var error = await Assert.ThrowsAsync<UndecodableEventException>(() =>
            new EventStreamReader(redis.Connection).ReadPageAsync(region, StreamPosition.Start, 10));

        Assert.Equal(id.ToString(), error.EntryId);
        Assert.Contains("missing", error.Reason, StringComparison.Ordinal);
    }
}
