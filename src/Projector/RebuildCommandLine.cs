using System.Diagnostics;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.Scripts;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Hyperstore.Projector;

/// <summary>
/// <c>Hyperstore.Projector rebuild --region eu [--from-snapshot] [--redis CONNECTION] [--timeout 120]</c>: asks the active
/// projector to rebuild a region's read model and waits for it; with no projector running, rebuilds in this process.
/// </summary>
public static class RebuildCommandLine
{
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        string? regionText = null, redisText = null;
        var fromSnapshot = false;
        var timeout = TimeSpan.FromSeconds(120);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--region" when i + 1 < args.Length: regionText = args[++i]; break;
                case "--redis" when i + 1 < args.Length: redisText = args[++i]; break;
                case "--timeout" when i + 1 < args.Length && int.TryParse(args[i + 1], out var seconds) && seconds > 0:
                    timeout = TimeSpan.FromSeconds(seconds); i++; break;
                case "--from-snapshot": fromSnapshot = true; break;
                default:
                    await Console.Error.WriteLineAsync(
                        $"error: unexpected '{args[i]}'.\nusage: rebuild --region REGION [--from-snapshot] [--redis CONNECTION] [--timeout SECONDS]");
                    return 2;
            }
        }
        if (!Region.TryParse(regionText, out var region, out var error))
        {
            await Console.Error.WriteLineAsync($"error: {error}\nusage: rebuild --region REGION [--from-snapshot] [--redis CONNECTION] [--timeout SECONDS]");
            return 2;
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisText ?? configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379");
        await LedgerScripts.LoadAllAsync(redis);
        var keys = new LedgerKeys(region);
        var database = redis.GetDatabase();
        var requestedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await database.StringSetAsync(keys.RebuildRequest, fromSnapshot ? "snapshot" : "scratch");

        var holder = await database.StringGetAsync(keys.ProjectorLease);
        if (holder.IsNull)
        {
            // No projector is running: take the lease ourselves so that none starts projecting halfway through.
            var options = new ProjectorOptions { ConsumerName = $"rebuild-{Environment.ProcessId}", LeaseDuration = timeout };
            var lease = new ProjectionLease(region, redis, options.ConsumerName, options.LeaseDuration);
            if (await lease.HoldAsync())
            {
                try
                {
                    var projector = new RegionProjector(region, options, redis, redis, ProjectorMetrics.Standalone(), NullLogger.Instance);
                    await projector.RebuildAsync(fromSnapshot, CancellationToken.None);
                    await database.KeyDeleteAsync(keys.RebuildRequest);
                }
                catch (RebuildInterruptedException e)
                {
                    // A projector started meanwhile and took the lease: it finds the request and rebuilds; wait for it below.
                    await Console.Error.WriteLineAsync($"Rebuild of '{region}' handed over: {e.Message}.");
                }
                finally
                {
                    await lease.ReleaseAsync();
                }
            }
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var result = await database.HashGetAllAsync(keys.RebuildResult);
            var at = result.FirstOrDefault(e => e.Name == "at").Value;
            if (!at.IsNull && (long)at >= requestedAt && !await database.KeyExistsAsync(keys.RebuildRequest))
            {
                Console.WriteLine($"Rebuilt '{region}': " + string.Join(", ", result.Select(e => $"{e.Name}={e.Value}")));
                return 0;
            }
            await Task.Delay(100);
        }
        await Console.Error.WriteLineAsync($"error: the rebuild of '{region}' did not finish within {timeout.TotalSeconds:0} s (is a projector running and healthy?).");
        return 1;
    }
}
