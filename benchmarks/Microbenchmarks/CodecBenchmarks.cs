using System.Text;
using BenchmarkDotNet.Attributes;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using StackExchange.Redis;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Bench.Microbenchmarks;

/// <summary>Stream entry fields to and from events: the projector and every replay decode each event once.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly Region _region = Region.Parse("eu");
    private HyperBought _event = null!;
    private StreamEntry _entry;

    [GlobalSetup]
    public void Setup()
    {
        _event = new HyperBought(_region, Quantity.Of(1), Quantity.Of(500), Quantity.Of(499), ClientId.Parse("loadtest"),
            CommandId.Parse("0190f3a2-7c1e-7a4b-9c2d-3e4f5a6b7c8d"), DateTimeOffset.FromUnixTimeMilliseconds(1_764_400_000_000));
        // What XRANGE returns for an entry append.lua wrote: id, name and value as bytes.
        _entry = new StreamEntry(Encoding.UTF8.GetBytes("1764400000000-0"),
            [.. StockEventCodec.Encode(_event).Select(f => new NameValueEntry(Encoding.UTF8.GetBytes(f.Name!), Encoding.UTF8.GetBytes(f.Value!)))]);
    }

    [Benchmark]
    public NameValueEntry[] Encode() => StockEventCodec.Encode(_event);

    [Benchmark]
    public StockEvent Decode() => StockEventCodec.Decode(_region, _entry);

    [Benchmark(Description = "Decode + StreamPosition.Parse (one replayed entry)")]
    public long DecodeWithPosition() =>
        StreamPosition.Parse(_entry.Id).Sequence + StockEventCodec.Decode(_region, _entry).Quantity.Value;
}
