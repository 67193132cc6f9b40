using Hyperstore.Bench.Driver;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Bench.Tests;

/// <summary>The driver's <c>unlink</c>, which removes the yardsticks' idempotency records, against a real redis-server.</summary>
public sealed class UnlinkCommandTests : IClassFixture<RedisFixture>
{
    private readonly RedisFixture _redis;

    public UnlinkCommandTests(RedisFixture redis) => _redis = redis;

    [Fact]
    public async Task Unlink_RemovesEveryMatchingKey_OverSeveralScanPages_AndNothingElse()
    {
        var database = _redis.Connection.GetDatabase();
        var records = Enumerable.Range(0, 25_000).Select(i => new KeyValuePair<RedisKey, RedisValue>($"{{hyper:yardstick}}:cmd:bench:y-{i}", "1")).ToArray();
        await database.StringSetAsync(records);
        await database.StringSetAsync("{hyper:eu}:cmd:bench:kept", "1");
        await database.StringSetAsync("{hyper:yardstick}:stock", "5");

        var exit = await UnlinkCommand.RunAsync(new Options(["--redis", _redis.Server.ConnectionString, "--pattern", "{hyper:yardstick}:cmd:*"]));

        Assert.Equal(0, exit);
        Assert.Equal(0, await CountAsync("{hyper:yardstick}:cmd:*"));
        Assert.True(await database.KeyExistsAsync("{hyper:eu}:cmd:bench:kept"));
        Assert.True(await database.KeyExistsAsync("{hyper:yardstick}:stock"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    public async Task Unlink_RefusesAPatternThatWouldEmptyTheDatabase(string pattern)
    {
        await _redis.Connection.GetDatabase().StringSetAsync("{hyper:eu}:cmd:bench:guarded", "1");

        await Assert.ThrowsAsync<ArgumentException>(() =>
            UnlinkCommand.RunAsync(new Options(["--redis", _redis.Server.ConnectionString, "--pattern", pattern])));

        Assert.True(await _redis.Connection.GetDatabase().KeyExistsAsync("{hyper:eu}:cmd:bench:guarded"));
    }

    private async Task<int> CountAsync(string pattern)
    {
        var count = 0;
        await foreach (var _ in _redis.Connection.GetServers()[0].KeysAsync(pattern: pattern, pageSize: 1000))
        {
            count++;
        }
        return count;
    }
}
