using System.Diagnostics;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Hyperstore.Testing;
using StackExchange.Redis;
using StreamPosition = Hyperstore.Ledger.StreamPosition;
using Xunit;

namespace Hyperstore.Projector.Tests;

/// <summary>
/// The projection's scripts publish each new stock view of the live read model; <see cref="LiveStockViews"/> keeps them in
/// memory for the API, and reads Redis whenever it cannot be sure it heard every message.
/// </summary>
[Collection(RedisTestCollection.Name)]
public class LiveStockViewsTests(RedisFixture redis)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private async Task<(Region, List<ProjectionItem>)> HistoryAsync(int count)
    {
        var region = Region.Parse(TestRegions.Unique());
        await new LedgerDriver(redis.Connection, region).WriteBacklogAsync(count, parallel: 1);
        var items = new List<ProjectionItem>();
        await foreach (var recorded in new EventStreamReader(redis.Connection).ReadAsync(region, StreamPosition.Start))
        {
            items.Add(new ProjectionItem(recorded.Position, recorded.Event));
        }
        return (region, items);
    }

    private async Task<ChannelMessageQueue> SubscribeAsync(Region region) =>
        await redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(new LedgerKeys(region).ReadModel.Changes!));

    private static async Task<StockView> NextViewAsync(Region region, ChannelMessageQueue queue)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var message = await queue.ReadAsync(timeout.Token);
        Assert.True(StockViewMessage.TryParse(region, message.Message, out var view), $"unreadable message '{message.Message}'");
        return view;
    }

    private static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Bound, $"not within {Bound}: {what}");
            await Task.Delay(5);
        }
    }

    private static async Task KillSubscribersNamedAsync(ConnectionMultiplexer admin, string name)
    {
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var list = (string)(await server.ExecuteAsync("CLIENT", "LIST", "TYPE", "pubsub"))!;
        var ids = list.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ').ToDictionary(field => field.Split('=')[0], field => field[(field.IndexOf('=') + 1)..]))
            .Where(fields => fields.GetValueOrDefault("name") == name)
            .Select(fields => fields["id"])
            .ToList();
        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            await server.ExecuteAsync("CLIENT", "KILL", "ID", id);
        }
    }

    [Fact]
    public async Task Apply_ToTheLiveModel_PublishesTheViewTheHashHolds()
    {
        var (region, items) = await HistoryAsync(5);
        var queue = await SubscribeAsync(region);
        var projection = new ReadModelProjection(redis.Connection);

        await projection.ApplyAsync(region, new LedgerKeys(region).ReadModel, items[..3]);
        var afterEvents = await NextViewAsync(region, queue);
        await projection.ApplyAsync(region, new LedgerKeys(region).ReadModel, [items[3] with { Event = null }]);
        var afterSkip = await NextViewAsync(region, queue);

        var reader = new ReadModelReader(redis.Connection);
        Assert.Equal(await reader.GetStockAsync(region), afterSkip);
        Assert.Equal((items[2].Position, 3L), (afterEvents.Position, afterEvents.EventCount));
        Assert.Equal((items[3].Position, afterEvents.Quantity, afterEvents.UpdatedAt), (afterSkip.Position, afterSkip.Quantity, afterSkip.UpdatedAt));
        await queue.UnsubscribeAsync();
    }

    [Fact]
    public async Task Rebuild_PublishesNothingWhileAsideAndTheWholeViewWhenSwitchedIn()
    {
        var (region, items) = await HistoryAsync(6);
        var keys = new LedgerKeys(region);
        var projection = new ReadModelProjection(redis.Connection);
        await projection.ApplyAsync(region, keys.ReadModel, items[..2]);
        var queue = await SubscribeAsync(region);

        await projection.ApplyAsync(region, keys.ReadModelRebuild, items);
        var switched = await projection.SwitchInRebuildAsync(region);
        var published = await NextViewAsync(region, queue);

        Assert.Equal(RebuildSwitch.Switched, switched);
        Assert.Equal(await new ReadModelReader(redis.Connection).GetStockAsync(region), published);
        Assert.Equal((items[^1].Position, 6L), (published.Position, published.EventCount));
        await queue.UnsubscribeAsync();
    }

    [Fact]
    public async Task Views_FollowTheProjectionAndAnswerFromMemory()
    {
        var (region, items) = await HistoryAsync(8);
        await using var views = new LiveStockViews(redis.Connection, new ReadModelReader(redis.Connection), [region], TimeProvider.System);
        await views.SubscribeAsync();
        var projection = new ReadModelProjection(redis.Connection);

        var waiting = views.WaitForPositionAsync(region, items[^1].Position, Bound, CancellationToken.None);
        await projection.ApplyAsync(region, new LedgerKeys(region).ReadModel, items[..4]);
        await projection.ApplyAsync(region, new LedgerKeys(region).ReadModel, items[4..]);
        var reached = await waiting;

        var expected = await new ReadModelReader(redis.Connection).GetStockAsync(region);
        Assert.Equal(expected, reached);
        Assert.True(views.IsLive);
        var read = views.GetAsync(region);
        Assert.True(read.IsCompletedSuccessfully, "a live view is answered without a round trip");
        Assert.Equal(expected, await read);
    }

    [Fact]
    public async Task Views_GivenAMessageOlderThanTheViewHeld_KeepTheNewerView()
    {
        var (region, items) = await HistoryAsync(4);
        await new ReadModelProjection(redis.Connection).ApplyAsync(region, new LedgerKeys(region).ReadModel, items);
        await using var views = new LiveStockViews(redis.Connection, new ReadModelReader(redis.Connection), [region], TimeProvider.System);
        await views.SubscribeAsync();
        var newest = views.Cached(region)!;
        var channel = RedisChannel.Literal(new LedgerKeys(region).ReadModel.Changes!);

        // As a message still queued when a read from Redis stored the newer view. An unreadable message after it marks
        // when it has been handled: messages of one channel are handled in order, and that one stops serving from memory.
        var subscriber = redis.Connection.GetSubscriber();
        await subscriber.PublishAsync(channel, StockViewMessage.Format(newest with { Position = items[1].Position, Quantity = 1 }));
        await subscriber.PublishAsync(channel, "not a view");
        await UntilAsync(() => !views.IsLive, "the messages are handled");

        Assert.Equal(newest, views.Cached(region));
    }

    [Fact]
    public async Task WaitForPosition_NotReachedInTime_ReturnsTheViewBehindAfterTheTimeout()
    {
        var (region, items) = await HistoryAsync(3);
        await new ReadModelProjection(redis.Connection).ApplyAsync(region, new LedgerKeys(region).ReadModel, items[..1]);
        await using var views = new LiveStockViews(redis.Connection, new ReadModelReader(redis.Connection), [region], TimeProvider.System);
        await views.SubscribeAsync();
        var clock = Stopwatch.StartNew();

        var view = await views.WaitForPositionAsync(region, items[^1].Position, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(items[0].Position, view.Position);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), Bound);
    }

    [Fact]
    public async Task Views_AfterTheSubscriptionIsLost_ReadRedisUntilARefreshFindsItBack()
    {
        var (region, items) = await HistoryAsync(6);
        var projection = new ReadModelProjection(redis.Connection);
        await projection.ApplyAsync(region, new LedgerKeys(region).ReadModel, items[..2]);
        await using var own = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString + ",allowAdmin=true,name=views-lost");
        await using var views = new LiveStockViews(own, new ReadModelReader(own), [region], TimeProvider.System);
        await views.SubscribeAsync();
        Assert.True(views.IsLive);

        // Only this connection's subscriber: the fixture's shared one stays up for the tests after this one.
        await KillSubscribersNamedAsync(own, "views-lost");
        await UntilAsync(() => !views.IsLive, "the lost subscription is noticed");
        await projection.ApplyAsync(region, new LedgerKeys(region).ReadModel, items[2..]);
        var whileLost = await views.GetAsync(region);
        var truth = await new ReadModelReader(redis.Connection).GetStockAsync(region);
        // As the API's refresher does every second: a refresh that runs before the server has confirmed the new
        // subscription (the connection can be up before that) leaves reads going to Redis, and the next one finds it.
        await UntilAsync(async () =>
        {
            await views.RefreshAllAsync();
            return views.IsLive;
        }, "a refresh finds the subscription back");

        Assert.Equal(truth, whileLost);
        Assert.Equal(truth, views.Cached(region));
    }

    [Fact]
    public async Task Views_SubscribedWhileRedisIsDown_FollowTheProjectionOnceItIsBack()
    {
        // A server of its own, on a port nothing else uses; with arguments it is always the local binary, which can restart.
        await using var server = await RedisServer.StartAsync("--appendonly", "yes");
        await using var own = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",connectTimeout=500,asyncTimeout=500");
        var region = Region.Parse(TestRegions.Unique());
        await using var views = new LiveStockViews(own, new ReadModelReader(own), [region], TimeProvider.System);
        await server.StopAsync();

        await Assert.ThrowsAnyAsync<Exception>(views.SubscribeAsync);
        await Assert.ThrowsAnyAsync<Exception>(views.SubscribeAsync);
        Assert.False(views.IsLive);

        await server.RestartAsync();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await views.SubscribeAsync();
                if (views.IsLive)
                {
                    break;
                }
            }
            catch (RedisException)
            {
                // still reconnecting
            }
            Assert.True(clock.Elapsed < Bound, "the views did not go live after Redis came back");
            await Task.Delay(50);
        }
        // The writes on a connection with the default timeouts: own's 500 ms are for noticing the outage quickly.
        await using var writer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await new LedgerDriver(writer, region).WriteBacklogAsync(4, parallel: 1);
        var items = new List<ProjectionItem>();
        await foreach (var recorded in new EventStreamReader(writer).ReadAsync(region, StreamPosition.Start))
        {
            items.Add(new ProjectionItem(recorded.Position, recorded.Event));
        }
        await new ReadModelProjection(writer).ApplyAsync(region, new LedgerKeys(region).ReadModel, items);
        var expected = await new ReadModelReader(writer).GetStockAsync(region);

        await UntilAsync(() => views.Cached(region) == expected, "the published view reaches the API's memory");
    }
}
