using System.Diagnostics;
using StackExchange.Redis;

namespace Hyperstore.Bench.Driver;

/// <summary>
/// <c>unlink</c>: removes every key matching a pattern, walking the keyspace with SCAN a page at a time, so Redis never
/// stops for more than one page (one script doing it all held Redis 9–13 s over ~4 million keys, past the projector's
/// lease). Prints the number removed; exit code 0, or 4 when <c>--max-seconds</c> ended it first.
/// </summary>
internal static class UnlinkCommand
{
    private const int PageSize = 10_000;
    private const int UnlinkBatch = 1_000;

    public static async Task<int> RunAsync(Options options)
    {
        var redisAddress = options.String("redis", "127.0.0.1:6379");
        var pattern = options.String("pattern", "");
        var maxSeconds = options.Double("max-seconds", 60);
        options.EnsureAllRead();
        if (pattern.Length == 0 || pattern == "*")
        {
            throw new ArgumentException("--pattern is required, and '*' alone is refused (it would empty the database).");
        }

        await using var redis = await RedisInfo.ConnectAsync(redisAddress);
        var database = redis.GetDatabase();
        var clock = Stopwatch.StartNew();
        var batch = new List<RedisKey>(UnlinkBatch);
        var pending = new List<Task>();
        long removed = 0;
        await foreach (var key in RedisInfo.Server(redis).KeysAsync(pattern: pattern, pageSize: PageSize))
        {
            batch.Add(key);
            if (batch.Count == UnlinkBatch)
            {
                pending.Add(database.KeyDeleteAsync([.. batch])); // pipelined: awaited together at the end
                removed += batch.Count;
                batch.Clear();
            }
            if (clock.Elapsed.TotalSeconds > maxSeconds)
            {
                await Task.WhenAll(pending);
                Console.WriteLine($"unlink {pattern}: stopped after {maxSeconds} s, {removed:N0} keys removed");
                return 4;
            }
        }
        if (batch.Count > 0)
        {
            await database.KeyDeleteAsync([.. batch]);
            removed += batch.Count;
        }
        await Task.WhenAll(pending);
        Console.WriteLine($"unlink {pattern}: {removed:N0} keys removed in {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
}
