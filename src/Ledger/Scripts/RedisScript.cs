using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Hyperstore.Ledger.Scripts;

/// <summary>
/// A Lua script embedded in this assembly, called by SHA (<c>EVALSHA</c>). When Redis has lost its script cache
/// (<c>SCRIPT FLUSH</c>, restart, failover) the call falls back to <c>EVAL</c>, which runs the script once and caches it again:
/// NOSCRIPT means the script did not run, so the fallback can never apply a command twice.
/// </summary>
public sealed class RedisScript
{
    public RedisScript(string name)
    {
        Name = name;
        using var stream = typeof(RedisScript).Assembly.GetManifestResourceStream($"Hyperstore.Ledger.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"Script '{name}.lua' is not embedded in {typeof(RedisScript).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Text = reader.ReadToEnd();
#pragma warning disable CA5350 // SHA1 is what Redis names scripts by, not a security measure here.
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(Text));
#pragma warning restore CA5350
    }

    public string Name { get; }
    public string Text { get; }
    public byte[] Sha1 { get; }
    public string Sha1Hex => Convert.ToHexStringLower(Sha1);

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] values)
    {
        try
        {
            return await database.ScriptEvaluateAsync(Sha1, keys, values);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(Text, keys, values);
        }
    }

    /// <summary>Loads the script on every primary, so the first real call needs no fallback.</summary>
    public async Task LoadAsync(IConnectionMultiplexer redis)
    {
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await server.ScriptLoadAsync(Text);
        }
    }

    /// <summary>Whether every connected primary has the script cached.</summary>
    public async Task<bool> IsLoadedAsync(IConnectionMultiplexer redis)
    {
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            var exists = await server.ExecuteAsync("SCRIPT", "EXISTS", Sha1Hex);
            if ((long)((RedisResult[])exists!)[0] != 1)
            {
                return false;
            }
        }
        return true;
    }
}
