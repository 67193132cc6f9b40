using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Projector.Tests;

[Collection(RedisTestCollection.Name)]
public class StreamConsumerTests(RedisFixture redis)
{
    [Fact]
    public async Task ReadNew_DeliversNewEntriesOnceAndBlocksWhenThereAreNone()
    {
        var region = Region.Parse(TestRegions.Unique());
        await using var blocking = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var consumer = new StreamConsumer(region, redis.Connection, blocking, "c1");
        await consumer.EnsureGroupAsync();
        await consumer.EnsureGroupAsync();
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions());
        await ledger.AppendAsync(RestockHyper.Create(region, 3, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow));
        await ledger.AppendAsync(RestockHyper.Create(region, 4, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow));

        var first = await consumer.ReadNewAsync(10, TimeSpan.FromMilliseconds(100));
        var second = await consumer.ReadNewAsync(10, TimeSpan.FromMilliseconds(100));

        Assert.Equal(2, first.Length);
        Assert.Equal(4, StockEventCodec.Decode(region, first[1]).Quantity.Value);
        Assert.Empty(second);
        Assert.Equal(2, await consumer.DeliveryCountAsync(first[0].Id) + await consumer.DeliveryCountAsync(first[1].Id));
    }
}
