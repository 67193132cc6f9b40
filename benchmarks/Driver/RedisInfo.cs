using System.Globalization;
using StackExchange.Redis;

namespace Hyperstore.Bench.Driver;

internal static class RedisInfo
{
    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.ClientName = "hyperstore-bench";
        options.AllowAdmin = true;
        options.SyncTimeout = options.AsyncTimeout = 30_000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    public static IServer Server(IConnectionMultiplexer redis) => redis.GetServers()[0];

    public static async Task<long> UsedMemoryAsync(IConnectionMultiplexer redis)
    {
        var info = await Server(redis).InfoAsync("memory");
        var value = info.SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    public static async Task<string> VersionAsync(IConnectionMultiplexer redis)
    {
        var info = await Server(redis).InfoAsync("server");
        return info.SelectMany(g => g).First(p => p.Key == "redis_version").Value;
    }

    /// <summary><c>MEMORY USAGE key SAMPLES 0</c>: every element counted, not estimated from a sample.</summary>
    public static async Task<long> MemoryUsageAsync(IConnectionMultiplexer redis, RedisKey key)
    {
        var reply = await redis.GetDatabase().ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", 0);
        return reply.IsNull ? 0 : (long)reply;
    }
}
