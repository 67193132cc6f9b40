using BenchmarkDotNet.Attributes;
using Hyperstore.Api.Hosting;
using Hyperstore.Api.Store;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Hyperstore.Bench.Microbenchmarks;

/// <summary>
/// The buy and the stock read as the API's endpoints run them after authentication: the command or query through the
/// mediator (validation behaviour, handler, <see cref="RedisLedger"/> or <see cref="LiveStockViews"/>, metrics), wired by
/// the API's own service registrations, with Redis replaced by <see cref="FakeRedis"/>. What is left is the API's own CPU per
/// request outside ASP.NET Core, auth and the network.
/// </summary>
[MemoryDiagnoser]
public class BuyPathBenchmarks : IDisposable
{
    private ServiceProvider _services = null!;
    private IMediator _mediator = null!;
    private RedisLedger _ledger = null!;
    private IConnectionMultiplexer _redis = null!;
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_400_000_000);
    private readonly BuyHyper _buy = BuyHyper.Create(Region.Parse("eu"), 1, ClientId.Parse("loadtest"),
        CommandId.Parse("0190f3a2-7c1e-7a4b-9c2d-3e4f5a6b7c8d"), DateTimeOffset.FromUnixTimeMilliseconds(1_764_400_000_000));

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hyperstore:Region"] = "eu",
            ["Hyperstore:Regions"] = "eu,na,sa",
            ["Hyperstore:MaxBuyQuantity"] = "1",
            ["ConnectionStrings:Redis"] = "127.0.0.1:1",
        });
        builder.AddHyperstoreRedis();
        builder.AddHyperstoreStore();
        builder.Services.AddSingleton<StoreMetrics>();
        builder.Services.AddSingleton(FakeRedis.Create());
        _services = builder.Services.BuildServiceProvider();
        _mediator = _services.GetRequiredService<IMediator>();
        _ledger = _services.GetRequiredService<RedisLedger>();
        _redis = _services.GetRequiredService<IConnectionMultiplexer>();
    }

    [Benchmark(Description = "PUT path: BuyHyperCommand through the mediator (validation, handler, ledger, metrics)")]
    public async Task<AppendResult> BuyThroughMediator() =>
        await _mediator.Send(new BuyHyperCommand("eu", 1, "loadtest", "0190f3a2-7c1e-7a4b-9c2d-3e4f5a6b7c8d", _now));

    [Benchmark(Description = "PUT path: RedisLedger.AppendAsync alone")]
    public Task<AppendResult> LedgerAppendAlone() => _ledger.AppendAsync(_buy);

    // No subscription here, so the stock views are not live and the query reads (fake) Redis: the API's path while its
    // views are not served from memory. Live, the views answer from memory without this read.
    [Benchmark(Description = "GET path: GetStockQuery through the mediator (views not live: one Redis read)")]
    public async Task<StockView> StockThroughMediator() => await _mediator.Send(new GetStockQuery("eu", null));

    [Benchmark(Description = "Fake Redis call alone (to subtract)")]
    public Task<RedisResult> FakeRedisAlone() => _redis.GetDatabase().ScriptEvaluateAsync(Array.Empty<byte>(), [], []);

    public void Dispose()
    {
        _services?.Dispose();
        GC.SuppressFinalize(this);
    }
}
