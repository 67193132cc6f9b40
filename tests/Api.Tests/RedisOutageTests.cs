using System.Diagnostics;
using System.Net;
using Hyperstore.Api.Auth;
using Hyperstore.Api.Tests.Support;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>
/// An API host over a Redis configured as in production (AOF, fsync always) that tests stop and start again, with short
/// client timeouts so that an outage is noticed in about a second.
/// </summary>
public sealed class RedisOutageApiFixture : ApiFixture
{
    protected override Task<RedisServer> StartRedisAsync() => RedisServer.StartAsync("--appendonly", "yes", "--appendfsync", "always");

    protected override string ApiConnectionString(RedisServer server) =>
        server.ConnectionString + ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";
}

[CollectionDefinition(Name)]
public sealed class RedisOutageApiCollection : ICollectionFixture<RedisOutageApiFixture>
{
    public const string Name = "api-redis-outage";
}

/// <summary>Redis goes away: every endpoint answers a 503 problem with Retry-After, changes nothing, and the service recovers by itself.</summary>
[Collection(RedisOutageApiCollection.Name)]
public class RedisOutageTests(RedisOutageApiFixture api) : ApiTestBase(api)
{
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Endpoints_WhileRedisIsDown_Return503UnavailableThenRecoverByThemselves()
    {
        await SetStockAsync(10);
        using (var before = await BuyAsync(idempotencyKey: "before-outage"))
        {
            await before.AssertStatusAsync(HttpStatusCode.OK);
        }
        foreach (var client in new[] { TestClients.Reader, TestClients.Auditor })
        {
            await Api.TokenAsync(client);
        }

        await Api.Server.StopAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            using (var buy = await BuyAsync(idempotencyKey: "during-outage"))
            {
                await AssertUnavailableAsync(buy);
            }
            using (var read = await Reader.GetAsync(Http.Path("/api/hyper")))
            {
                await AssertUnavailableAsync(read);
            }
            using (var audit = await Auditor.GetAsync(Http.Path("/api/audit/verify")))
            {
                await AssertUnavailableAsync(audit);
            }
            using (var ready = await Anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }
            using (var live = await Anonymous.GetAsync(new Uri("/health/live", UriKind.Relative)))
            {
                await live.AssertStatusAsync(HttpStatusCode.OK);
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the outage answers took {clock.Elapsed}");
        }
        finally
        {
            await Api.Server.RestartAsync();
        }

        // The same buy, retried as a client would after Retry-After, until the service is back on its own.
        var retries = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            using var retry = await BuyAsync(idempotencyKey: "during-outage");
            status = retry.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await AssertUnavailableAsync(retry);
            }
        }
        while (status != HttpStatusCode.OK && retries.Elapsed < RecoveryBound);

        Assert.Equal(HttpStatusCode.OK, status);
        using var repeat = await BuyAsync(idempotencyKey: "before-outage");
        Assert.Equal(9, (await repeat.ReadAsync<BuyAnswer>()).Quantity);
        Assert.Equal(new LedgerState(8, 3), await Api.LedgerAsync("eu"));
        using var readyAgain = await Anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
        await readyAgain.AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PutOwn_WhileRedisIsOutOfMemory_Returns503UnavailableAndAppliesOnceWhenRetried()
    {
        await SetStockAsync(10);
        var before = await Api.LedgerAsync("eu");
        await using var admin = await ConnectionMultiplexer.ConnectAsync(Api.Server.ConnectionString + ",allowAdmin=true");
        var redis = admin.GetServer(admin.GetEndPoints()[0]);

        // Any memory in use is over a limit of one byte; the default policy, noeviction, then refuses every write.
        await redis.ConfigSetAsync("maxmemory", "1");
        try
        {
            using var buy = await BuyAsync(idempotencyKey: "during-oom");
            await AssertUnavailableAsync(buy);
        }
        finally
        {
            await redis.ConfigSetAsync("maxmemory", "0");
        }

        Assert.Equal(before, await Api.LedgerAsync("eu"));
        using var retry = await BuyAsync(idempotencyKey: "during-oom");
        Assert.Equal(9, (await retry.ReadAsync<BuyAnswer>()).Quantity);
        using var again = await BuyAsync(idempotencyKey: "during-oom");
        Assert.Equal(9, (await again.ReadAsync<BuyAnswer>()).Quantity);
        Assert.Equal(before with { Stock = before.Stock - 1, Events = before.Events + 1 }, await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostToken_WhileRedisIsDown_Returns503Unavailable()
    {
        // A client the API has not looked up yet: one it found in the last few seconds gets its token from memory.
        var clientId = "outage-" + Guid.NewGuid().ToString("N");
        var secret = await new ClientStore(Api.Redis).SaveAsync(clientId, [ApiScopes.Read], replace: false);
        await Api.Server.StopAsync();
        try
        {
            using var response = await Anonymous.PostAsync(new Uri("/oauth/token", UriKind.Relative), new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = clientId,
                    ["client_secret"] = secret!,
                }));

            await AssertUnavailableAsync(response);
        }
        finally
        {
            await Api.Server.RestartAsync();
        }
        await WaitUntilReadyAsync();
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Equal(1, response.RetryAfterSeconds());
    }

    private async Task WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RecoveryBound)
        {
            using var ready = await Anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail($"/health/ready did not answer 200 within {RecoveryBound}.");
    }
}
