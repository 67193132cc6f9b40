using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Projector.Tests;

[Collection(RedisTestCollection.Name)]
public class StreamTailTests(RedisFixture redis)
{
    [Fact]
    public async Task ReadAfter_ReturnsTheEntriesAfterThePositionInOrderAndBlocksWhenThereAreNone()
    {
        var region = Region.Parse(TestRegions.Unique());
        await using var blocking = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var tail = new StreamTail(region, redis.Connection, blocking);
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions());
        foreach (var quantity in new[] { 3, 4, 5 })
        {
            await ledger.AppendAsync(RestockHyper.Create(region, quantity, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow));
        }

        var all = await tail.ReadAfterAsync(StreamPosition.Start, 10, TimeSpan.FromMilliseconds(100));
        var afterFirst = await tail.ReadAfterAsync(StreamPosition.Parse(all[0].Id), 1, TimeSpan.FromMilliseconds(100));
        var blockedFor = System.Diagnostics.Stopwatch.StartNew();
        var afterLast = await tail.ReadAfterAsync(StreamPosition.Parse(all[^1].Id), 10, TimeSpan.FromMilliseconds(100));

        Assert.Equal([3, 4, 5], all.Select(e => StockEventCodec.Decode(region, e).Quantity.Value));
        Assert.Equal(all[1].Id, Assert.Single(afterFirst).Id);
        Assert.Empty(afterLast);
        Assert.True(blockedFor.ElapsedMilliseconds >= 50, $"returned after {blockedFor.ElapsedMilliseconds} ms, without blocking");
    }

    [Fact]
    public async Task ReadAfter_OnAStreamThatDoesNotExistYet_WaitsAndReturnsNothing()
    {
        var region = Region.Parse(TestRegions.Unique());
        await using var blocking = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var tail = new StreamTail(region, redis.Connection, blocking);

        var entries = await tail.ReadAfterAsync(StreamPosition.Start, 10, TimeSpan.FromMilliseconds(100));

        Assert.Empty(entries);
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(new LedgerKeys(region).Events));
    }

    [Fact]
    public async Task ReadAfter_WhenAnEntryArrivesWhileBlocked_ReturnsIt()
    {
        var region = Region.Parse(TestRegions.Unique());
        await using var blocking = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var tail = new StreamTail(region, redis.Connection, blocking);
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions());
        var first = Assert.IsType<AppendResult.Applied>(
            await ledger.AppendAsync(RestockHyper.Create(region, 1, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow)));

        var read = tail.ReadAfterAsync(first.Position, 10, TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        await ledger.AppendAsync(RestockHyper.Create(region, 2, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow));

        var entry = Assert.Single(await read.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, StockEventCodec.Decode(region, entry).Quantity.Value);
    }
}
