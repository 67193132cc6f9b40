using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Projector.Tests;

/// <summary>Writes commands to a region's ledger and checks the read model against replay and write side.</summary>
public sealed class LedgerDriver(IConnectionMultiplexer redis, Region region)
{
    private static readonly ClientId[] Clients = [ClientId.Parse("alice"), ClientId.Parse("bob"), ClientId.Parse("ops")];

    public Region Region { get; } = region;
    public RedisLedger Ledger { get; } = new(redis, new LedgerOptions());

    /// <summary>Appends <paramref name="count"/> commands (restocks, buys, an occasional set) with bounded concurrency.</summary>
    public async Task WriteBacklogAsync(int count, int seed = 1, int parallel = 32)
    {
        var random = new Random(seed);
        var commands = Enumerable.Range(0, count).Select(i => Command(random, i)).ToList();
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(commands.Select(async command =>
        {
            await gate.WaitAsync();
            try
            {
                await Ledger.AppendAsync(command, rememberCommandId: false);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    public StockCommand Command(Random random, int i)
    {
        var client = Clients[random.Next(Clients.Length)];
        return random.Next(10) switch
        {
            0 => SetStockLevel.Create(Region, random.Next(0, 50), client, CommandId.New(), DateTimeOffset.UtcNow),
            < 5 => RestockHyper.Create(Region, random.Next(1, 4), client, CommandId.New(), DateTimeOffset.UtcNow),
            _ => BuyHyper.Create(Region, random.Next(1, 3), client, CommandId.New(), DateTimeOffset.UtcNow, maxPerOrder: 2),
        };
    }

    public Task<StockView> ViewAsync() => new ReadModelReader(redis).GetStockAsync(Region);

    /// <summary>Waits (bounded) until the read model has reached the stream head.</summary>
    public async Task<StockView> WaitUntilCaughtUpAsync(TimeSpan timeout)
    {
        var reader = new EventStreamReader(redis);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var head = await reader.HeadAsync(Region);
            var view = await ViewAsync();
            if (view.Position >= head)
            {
                return view;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The read model of {Region} is at {view.Position} ({view.EventCount} events), the head at {head}, after {timeout.TotalSeconds} s.");
            }
            await Task.Delay(25);
        }
    }

    /// <summary>Read model = replay of the stream = write-side stock; every event applied exactly once.</summary>
    public async Task AssertConvergedAsync()
    {
        var view = await ViewAsync();
        var replay = await new EventStreamReader(redis).ReplayAsync(Region);
        var length = await new EventStreamReader(redis).LengthAsync(Region);
        Assert.Equal(replay.Position, view.Position);
        Assert.Equal(length, view.EventCount);
        Assert.Equal(replay.State.EventCount, view.EventCount);
        Assert.Equal(replay.State.Level.Value, view.Quantity);
        Assert.Equal(replay.State.Level, await Ledger.GetStockAsync(Region));

        var totals = await new ReadModelReader(redis).GetClientTotalsAsync(Region);
        var expected = new Dictionary<(string, string), long>();
        await foreach (var recorded in new EventStreamReader(redis).ReadAsync(Region, Hyperstore.Ledger.StreamPosition.Start))
        {
            var kind = recorded.Event switch
            {
                Domain.Events.HyperBought => "bought",
                Domain.Events.HyperRestocked => "restocked",
                _ => "set",
            };
            var key = (recorded.Event.Client.Value, kind);
            expected[key] = expected.GetValueOrDefault(key) + recorded.Event.Quantity.Value;
        }
        foreach (var ((client, kind), total) in expected)
        {
            Assert.Equal(total, totals[client][kind]);
        }

        var activity = await new ReadModelReader(redis).GetActivityAsync(Region, 1000);
        Assert.Equal(activity.Count, activity.Select(a => a.Position).Distinct().Count());
        Assert.Equal(activity.Select(a => Hyperstore.Ledger.StreamPosition.Parse(a.Position)).OrderDescending(), activity.Select(a => Hyperstore.Ledger.StreamPosition.Parse(a.Position)));
    }
}
