using System.Reflection;
using StackExchange.Redis;

namespace Hyperstore.Bench.Microbenchmarks;

/// <summary>
/// A stand-in for Redis that answers the two calls the store's hot paths make: the append script (EVALSHA, as accepted)
/// and the read model's HMGET; it takes (and ignores) connection-event handlers. Built with <see cref="DispatchProxy"/>, whose dispatch costs some tens of nanoseconds and an
/// argument array per call; <see cref="BuyPathBenchmarks.FakeRedisAlone"/> measures that share.
/// </summary>
public class FakeRedis : DispatchProxy
{
    private static readonly Task<RedisResult> Accepted = Task.FromResult(RedisResult.Create(
        [RedisResult.Create((RedisValue)1), RedisResult.Create((RedisValue)999_999), RedisResult.Create((RedisValue)"1764400000000-0")]));

    private static readonly Task<RedisValue[]> ReadModel = Task.FromResult<RedisValue[]>(["999999", "1764400000000-0", "1764400000000", "1"]);

    private object? _database;

    public static IConnectionMultiplexer Create()
    {
        var multiplexer = DispatchProxy.Create<IConnectionMultiplexer, FakeRedis>();
        ((FakeRedis)(object)multiplexer)._database = DispatchProxy.Create<IDatabase, FakeRedis>();
        return multiplexer;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
    {
        nameof(IConnectionMultiplexer.GetDatabase) => _database,
        nameof(IDatabaseAsync.ScriptEvaluateAsync) => Accepted,
        nameof(IDatabaseAsync.HashGetAsync) when targetMethod.ReturnType == typeof(Task<RedisValue[]>) => ReadModel,
        "add_ConnectionFailed" or "remove_ConnectionFailed" => null,
        _ => throw new NotSupportedException($"The fake Redis does not answer {targetMethod?.Name}."),
    };
}
