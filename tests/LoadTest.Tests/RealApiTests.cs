using System.Text.RegularExpressions;
using Hyperstore.Api.Auth;
using Hyperstore.Api.Testing;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.LoadTest.Http;
using Hyperstore.LoadTest.Running;
using Hyperstore.LoadTest.Stats;
using Hyperstore.Projector;
using Hyperstore.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.LoadTest.Tests;

/// <summary>The load client against the real thing: the API on Kestrel, the projector, a real redis-server, all on loopback.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class RealApiTests : IAsyncLifetime
{
    private RedisServer? _redis;
    private ConnectionMultiplexer? _connection;
    private ConnectionMultiplexer? _blocking;
    private HyperstoreApiFactory? _api;
    private readonly CancellationTokenSource _stopProjector = new();
    private Task? _projector;
    private string _loadSecret = "";
    private string _auditSecret = "";

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _blocking = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var clients = new ClientStore(_connection);
        _loadSecret = (await clients.SaveAsync("loadtest", [ApiScopes.Read, ApiScopes.Buy, ApiScopes.Stock], replace: true))!;
        _auditSecret = (await clients.SaveAsync("auditor", [ApiScopes.Read, ApiScopes.Audit], replace: true))!;
        await new RedisLedger(_connection, new LedgerOptions()).AppendAsync(
            SetStockLevel.Create(Region.Parse("eu"), 500, ClientId.Parse("ops"), CommandId.New(), DateTimeOffset.UtcNow));

        _api = new HyperstoreApiFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = _redis.ConnectionString,
            ["Auth:RequireHttps"] = "false",
            ["Auth:SigningKeyPem"] = SigningKeys.NewEcPem(),
            ["Auth:Issuer"] = "http://hyperstore.test/",
            ["Hyperstore:Regions"] = "eu",
        });
        _api.Start();

        var options = new ProjectorOptions { ConsumerName = "loadtest-tests", ReadBlock = TimeSpan.FromMilliseconds(50) };
        var projector = new RegionProjector(Region.Parse("eu"), options, _connection, _blocking, ProjectorMetrics.Standalone(), NullLogger.Instance);
        _projector = projector.RunAsync(_stopProjector.Token);
    }

    public async Task DisposeAsync()
    {
        await _stopProjector.CancelAsync();
        if (_projector is not null)
        {
            await _projector;
        }
        _stopProjector.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
        await _blocking!.DisposeAsync();
        await _connection!.DisposeAsync();
        await _redis!.DisposeAsync();
    }

    [Fact]
    public async Task Run_StoreScenarioAgainstTheRealApi_HasNoFailuresAndEveryAcceptedBuyIsInTheLedger()
    {
        var options = new LoadRunOptions
        {
            Host = _api!.ClientOptions.BaseAddress,
            Users = 8,
            SpawnRate = 100,
            RunTime = TimeSpan.FromSeconds(30),
            IterationsPerUser = 2,
            ThinkMin = TimeSpan.Zero,
            ThinkMax = TimeSpan.Zero,
            Seed = 7,
            Credentials = new ClientCredentials("loadtest", _loadSecret),
            AuditCredentials = new ClientCredentials("auditor", _auditSecret),
            StopTimeout = TimeSpan.FromSeconds(5),
            LedgerWait = TimeSpan.FromSeconds(10),
        };

        var part = await new LoadRunner(options).RunAsync();

        var view = new StatsView([part]);
        Assert.Equal(0, view.Aggregated.Failures);
        Assert.Equal(16, part.Iterations);
        Assert.Equal(8 * 3, view.Endpoints.Single(e => e.Name == "/oauth/token").Requests);
        Assert.Equal(16, view.Endpoints.Single(e => e is { Method: "POST", Name: "/api/hyper" }).Requests);
        var buys = view.Endpoints.Single(e => e.Name == "/api/hyper/own").Requests;
        Assert.InRange(buys, 16, 16 * 3);
        Assert.InRange(view.Endpoints.Single(e => e is { Method: "GET", Name: "/api/hyper" }).Requests, 16 * 7, 16 * 17);

        var ledger = part.Ledger!;
        Assert.True(ledger.Passed, string.Join("; ", ledger.Problems));
        Assert.Equal(buys, ledger.AcceptedBuys);
        Assert.Equal(buys, ledger.FoundInLedger);
        Assert.True(ledger.Consistent);
        Assert.True(ledger.ReadModelCaughtUp);
        Assert.Equal(0, ledger.NegativeStockEvents);
    }
}
