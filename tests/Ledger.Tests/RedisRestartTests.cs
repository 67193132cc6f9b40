using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Ledger.Tests;

/// <summary>Redis configured as the ledger needs it (AOF, fsync on every write) keeps every acknowledged event across a crash.</summary>
public class RedisRestartTests
{
    [Fact]
    public async Task Ledger_AfterRedisIsKilledAndRestarted_KeepsEveryAcknowledgedEventAndStillAppends()
    {
        await using var server = await RedisServer.StartAsync("--appendonly", "yes", "--appendfsync", "always");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var ledger = new RedisLedger(connection, new LedgerOptions());
        var region = Region.Parse("eu");
        var client = ClientId.Parse("ops");
        for (var i = 0; i < 50; i++)
        {
            await ledger.AppendAsync(RestockHyper.Create(region, 2, client, CommandId.Parse($"r{i}"), DateTimeOffset.UtcNow));
        }

        await server.StopAsync();
        await server.RestartAsync();
        await WaitUntilConnected(connection);

        var retry = await ledger.AppendAsync(RestockHyper.Create(region, 2, client, CommandId.Parse("r49"), DateTimeOffset.UtcNow));
        var next = await ledger.AppendAsync(BuyHyper.Create(region, 1, client, CommandId.Parse("b0"), DateTimeOffset.UtcNow));

        Assert.True(Assert.IsType<AppendResult.Applied>(retry).IsReplay, "the idempotency record survives the crash");
        Assert.Equal(99, Assert.IsType<AppendResult.Applied>(next).Stock.Value);
        var replay = await new EventStreamReader(connection).ReplayAsync(region);
        Assert.Equal((99L, 51L), (replay.State.Level.Value, replay.State.EventCount));
    }

    private static async Task WaitUntilConnected(ConnectionMultiplexer connection)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // Not connected yet, still loading, or a ping queued while it was down timed out.
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("The connection did not come back within 10 s.");
    }
}
