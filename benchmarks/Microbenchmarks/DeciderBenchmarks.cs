using BenchmarkDotNet.Attributes;
using Hyperstore.Domain;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;

namespace Hyperstore.Bench.Microbenchmarks;

/// <summary>The domain's rules: deciding a buy, evolving the state, folding a page of events as a replay does.</summary>
[MemoryDiagnoser]
public class DeciderBenchmarks
{
    private const int PageSize = 1000;
    private readonly Region _region = Region.Parse("eu");
    private StockState _state = null!;
    private BuyHyper _buy = null!;
    private HyperBought _bought = null!;
    private StockEvent[] _page = [];

    [GlobalSetup]
    public void Setup()
    {
        var client = ClientId.Parse("loadtest");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_400_000_000);
        _state = new StockState(_region, Quantity.Of(1_000_000), 1);
        _buy = BuyHyper.Create(_region, 1, client, CommandId.Parse("0190f3a2-7c1e-7a4b-9c2d-3e4f5a6b7c8d"), now);
        _bought = new HyperBought(_region, Quantity.Of(1), Quantity.Of(1_000_000), Quantity.Of(999_999), client, _buy.Id, now);
        _page = [.. Enumerable.Range(0, PageSize).Select(i => (StockEvent)new HyperBought(_region, Quantity.Of(1),
            Quantity.Of(1_000_000 - i), Quantity.Of(999_999 - i), client, _buy.Id, now))];
    }

    [Benchmark]
    public Decision DecideBuy() => StockDecider.Decide(_state, _buy);

    [Benchmark]
    public StockState Evolve() => StockDecider.Evolve(_state, _bought);

    [Benchmark(OperationsPerInvoke = PageSize, Description = "Fold, per event (pages of 1000)")]
    public StockState FoldPerEvent() => StockDecider.Fold(_state, _page);
}
