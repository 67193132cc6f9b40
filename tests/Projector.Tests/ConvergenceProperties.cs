using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hyperstore.Domain.Values;
using Hyperstore.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Projector.Tests;

/// <summary>After any sequence of commands, once the projector has caught up: read model = replay of the stream = write-side stock.</summary>
[Collection(RedisTestCollection.Name)]
public sealed class ConvergenceProperties(RedisFixture redis) : IAsyncLifetime
{
    private ConnectionMultiplexer? _blocking;

    public async Task InitializeAsync() => _blocking = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);

    public async Task DisposeAsync() => await _blocking!.DisposeAsync();

    [Property(MaxTest = 100)]
    public Property ReadModel_AfterCatchingUp_EqualsReplayAndWriteSide() =>
        Prop.ForAll(
            Gen.Choose(0, 120).ToArbitrary(),
            Gen.Choose(1, 50).ToArbitrary(),
            Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (count, batchSize, seed) => Converges(count, batchSize, seed).GetAwaiter().GetResult());

    private async Task<bool> Converges(int count, int batchSize, int seed)
    {
        var region = Region.Parse(TestRegions.Unique("p"));
        var driver = new LedgerDriver(redis.Connection, region);
        var random = new Random(seed);
        // Some events before the projector starts, some while it runs.
        var before = random.Next(count + 1);
        await driver.WriteBacklogAsync(before, seed, parallel: 8);

        var options = new ProjectorOptions
        {
            ConsumerName = "prop",
            BatchSize = batchSize,
            ReadBlock = TimeSpan.FromMilliseconds(20),
            LeaseDuration = TimeSpan.FromSeconds(5),
            LeaseRenewInterval = TimeSpan.FromMilliseconds(500),
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var projector = new RegionProjector(region, options, redis.Connection, _blocking!, ProjectorMetrics.Standalone(), NullLogger.Instance);
        var running = projector.RunAsync(stop.Token);

        await driver.WriteBacklogAsync(count - before, seed + 1, parallel: 8);
        await driver.WaitUntilCaughtUpAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await running;

        await driver.AssertConvergedAsync();
        return true;
    }
}
