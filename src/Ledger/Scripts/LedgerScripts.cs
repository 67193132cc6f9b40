using StackExchange.Redis;

namespace Hyperstore.Ledger.Scripts;

/// <summary>The ledger's Lua scripts, read once per process.</summary>
public static class LedgerScripts
{
    public static RedisScript Append { get; } = new("append");
    public static RedisScript Project { get; } = new("project");
    public static RedisScript SwitchReadModel { get; } = new("switch_read_model");
    public static RedisScript Lease { get; } = new("lease");

    public static IReadOnlyList<RedisScript> All { get; } = [Append, Project, SwitchReadModel, Lease];

    public static async Task LoadAllAsync(IConnectionMultiplexer redis)
    {
        foreach (var script in All)
        {
            await script.LoadAsync(redis);
        }
    }
}
