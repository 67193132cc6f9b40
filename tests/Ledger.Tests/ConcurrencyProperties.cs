using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hyperstore.Domain;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Ledger.Tests;

/// <summary>Many clients at once, over several connections: the ledger never oversells and never applies a command twice.</summary>
[Collection(RedisTestCollection.Name)]
public sealed class ConcurrencyProperties(RedisFixture redis) : IAsyncLifetime
{
    private const int MaxPerOrder = 3;
    private readonly List<ConnectionMultiplexer> _connections = [];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 4; i++)
        {
            _connections.Add(await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Property(MaxTest = 100)]
    public Property ConcurrentBuys_NeverOversell_AndLeaveOneEventPerAcceptedBuy() =>
        Prop.ForAll(
            Gen.Choose(0, 400).ToArbitrary(),
            Gen.Choose(200, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, MaxPerOrder), n)).ToArbitrary(),
            (start, quantities) => CheckConcurrentBuys(start, quantities).GetAwaiter().GetResult());

    private async Task<bool> CheckConcurrentBuys(int start, int[] quantities)
    {
        var region = Region.Parse(TestRegions.Unique("c"));
        var setup = new RedisLedger(_connections[0], new LedgerOptions());
        await setup.AppendAsync(SetStockLevel.Create(region, start, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow));

        var results = await Task.WhenAll(quantities.Select((quantity, i) => Task.Run(async () =>
        {
            var ledger = new RedisLedger(_connections[i % _connections.Count], new LedgerOptions());
            var command = BuyHyper.Create(region, quantity, ClientId.Parse($"shopper{i % 17}"), CommandId.New(), DateTimeOffset.UtcNow, MaxPerOrder);
            return (quantity, result: await ledger.AppendAsync(command, rememberCommandId: i % 2 == 0));
        })));

        var accepted = results.Where(r => r.result is AppendResult.Applied).ToList();
        var acceptedQuantity = accepted.Sum(r => r.quantity);
        Assert.All(results, r => Assert.True(r.result is AppendResult.Applied { IsReplay: false } or AppendResult.Rejected { Rejection: SoldOut }));
        Assert.True(acceptedQuantity <= start, $"sold {acceptedQuantity} of {start}");
        Assert.Equal(start - acceptedQuantity, (await setup.GetStockAsync(region)).Value);

        var events = new List<StockEvent>();
        await foreach (var recorded in new EventStreamReader(_connections[1]).ReadAsync(region, StreamPosition.Start))
        {
            events.Add(recorded.Event);
        }
        Assert.Equal(accepted.Count, events.OfType<HyperBought>().Count());
        Assert.Equal(acceptedQuantity, events.OfType<HyperBought>().Sum(e => e.Quantity.Value));
        Assert.Equal(accepted.Select(a => ((AppendResult.Applied)a.result).Position).Distinct().Count(), accepted.Count);
        return true;
    }

    [Property(MaxTest = 100)]
    public Property ConcurrentRetriesOfOneCommand_ApplyExactlyOnce() =>
        Prop.ForAll(
            Gen.Choose(2, 60).ToArbitrary(),
            Gen.Choose(0, 2).ToArbitrary(),
            (copies, start) => CheckConcurrentRetries(copies, start).GetAwaiter().GetResult());

    private async Task<bool> CheckConcurrentRetries(int copies, int start)
    {
        var region = Region.Parse(TestRegions.Unique("d"));
        var client = ClientId.Parse("retrier");
        var id = CommandId.New();
        var setup = new RedisLedger(_connections[0], new LedgerOptions());
        await setup.AppendAsync(SetStockLevel.Create(region, start, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow));

        var results = await Task.WhenAll(Enumerable.Range(0, copies).Select(i => Task.Run(() =>
            new RedisLedger(_connections[i % _connections.Count], new LedgerOptions())
                .AppendAsync(BuyHyper.Create(region, 1, client, id, DateTimeOffset.UtcNow)))));

        var length = await new EventStreamReader(_connections[0]).LengthAsync(region);
        if (start == 0)
        {
            // Nothing to buy: every copy is refused (refusals are not remembered), and only the set event is there.
            Assert.All(results, r => Assert.IsType<AppendResult.Rejected>(r));
            Assert.Equal(1, length);
            return true;
        }

        var applied = results.Cast<AppendResult.Applied>().ToList();
        Assert.Single(applied, a => !a.IsReplay);
        Assert.Single(applied.Select(a => a.Position).Distinct());
        Assert.All(applied, a => Assert.Equal(start - 1, a.Stock.Value));
        Assert.Equal(start - 1, (await setup.GetStockAsync(region)).Value);
        Assert.Equal(2, length);
        return true;
    }
}
