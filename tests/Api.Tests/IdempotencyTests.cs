using System.Net;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>
/// <c>Idempotency-Key</c>: a retry of the same command (same client, region, kind and quantity) is answered from the first
/// application and changes nothing; the same key for a different command is refused.
/// </summary>
[Collection(ApiCollection.Name)]
public class IdempotencyTests(ApiFixture api) : ApiTestBase(api)
{
    private static string NewKey() => "order-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task PutOwn_RetriedWithSameKey_ReturnsSamePositionAndBuysOnce()
    {
        await SetStockAsync(10);
        var key = NewKey();

        using var first = await BuyAsync(new { quantity = 2 }, idempotencyKey: key);
        using var retry = await BuyAsync(new { quantity = 2 }, idempotencyKey: key);

        var original = await first.ReadAsync<BuyAnswer>();
        var replayed = await retry.ReadAsync<BuyAnswer>();
        Assert.False(original.Replayed);
        Assert.Equal(original with { Replayed = true }, replayed);
        Assert.Equal(new LedgerState(8, 2), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PutOwn_RetriedAfterStockChanged_ReplaysTheFirstAnswer()
    {
        await SetStockAsync(10);
        var key = NewKey();
        using var first = await BuyAsync(idempotencyKey: key);
        var original = await first.ReadAsync<BuyAnswer>();
        await SetStockAsync(0);

        using var retry = await BuyAsync(idempotencyKey: key);

        Assert.Equal(original with { Replayed = true }, await retry.ReadAsync<BuyAnswer>());
        Assert.Equal(new LedgerState(0, 3), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PutOwn_SameKeyWithDifferentQuantity_Returns409IdempotencyKeyReused()
    {
        await SetStockAsync(10);
        var key = NewKey();
        using var first = await BuyAsync(new { quantity = 1 }, idempotencyKey: key);
        await first.AssertStatusAsync(HttpStatusCode.OK);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await BuyAsync(new { quantity = 2 }, idempotencyKey: key);

            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency-key-reused");
            Assert.Contains(key, problem.Detail(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PutOwn_SameKeyFromAnotherClient_BuysForEach()
    {
        await SetStockAsync(10);
        var key = NewKey();

        using var mine = await BuyAsync(idempotencyKey: key);
        using var theirs = await BuyAsync(idempotencyKey: key, client: Api.Client(TestClients.OtherShopper));

        Assert.False((await mine.ReadAsync<BuyAnswer>()).Replayed);
        Assert.False((await theirs.ReadAsync<BuyAnswer>()).Replayed);
        Assert.Equal(new LedgerState(8, 3), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PutOwn_SameKeyInAnotherRegion_BuysInEach()
    {
        await SetStockAsync(10, "eu");
        await SetStockAsync(10, "na");
        var key = NewKey();

        using var eu = await BuyAsync(idempotencyKey: key, region: "eu");
        using var na = await BuyAsync(idempotencyKey: key, region: "na");

        Assert.False((await eu.ReadAsync<BuyAnswer>()).Replayed);
        Assert.False((await na.ReadAsync<BuyAnswer>()).Replayed);
        Assert.Equal((9L, 9L), ((await Api.LedgerAsync("eu")).Stock, (await Api.LedgerAsync("na")).Stock));
    }

    [Fact]
    public async Task PutOwn_RetriedAfterSoldOut_BuysOnceStockIsBack()
    {
        var key = NewKey();
        using var refused = await BuyAsync(idempotencyKey: key);
        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "sold-out");
        await SetStockAsync(1);

        using var retry = await BuyAsync(idempotencyKey: key);
        using var again = await BuyAsync(idempotencyKey: key);

        // A refusal is not remembered: nothing was applied, so the retry is a first application.
        Assert.False((await retry.ReadAsync<BuyAnswer>()).Replayed);
        Assert.True((await again.ReadAsync<BuyAnswer>()).Replayed);
        Assert.Equal(new LedgerState(0, 2), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PutOwn_WithoutKey_BuysOnEveryRequest()
    {
        await SetStockAsync(10);

        using var first = await BuyAsync();
        using var second = await BuyAsync();

        Assert.NotEqual((await first.ReadAsync<BuyAnswer>()).Position, (await second.ReadAsync<BuyAnswer>()).Position);
        Assert.Equal(new LedgerState(8, 3), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PutOwn_ConcurrentRetriesWithOneKey_BuyOnce()
    {
        await SetStockAsync(10);
        var key = NewKey();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Shopper.SendAsync(
            Http.Request(HttpMethod.Put, Http.Path("/api/hyper/own"), idempotencyKey: key), timeout.Token)));
        var answers = new List<BuyAnswer>();
        foreach (var response in responses)
        {
            using (response)
            {
                answers.Add(await response.ReadAsync<BuyAnswer>());
            }
        }

        Assert.Single(answers, a => !a.Replayed);
        Assert.Single(answers.Select(a => (a.Position, a.Quantity)).Distinct());
        Assert.Equal(new LedgerState(9, 2), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostHyper_RetriedWithSameKey_DoesNotSetTheLevelAgain()
    {
        var key = NewKey();
        using var first = await Operator.SendAsync(Http.Request(HttpMethod.Post, Http.Path("/api/hyper"), Http.Json(new { quantity = 100 }), key));
        var original = await first.ReadAsync<StockChangeAnswer>();
        using (var buy = await BuyAsync())
        {
            await buy.AssertStatusAsync(HttpStatusCode.OK);
        }

        using var retry = await Operator.SendAsync(Http.Request(HttpMethod.Post, Http.Path("/api/hyper"), Http.Json(new { quantity = 100 }), key));

        Assert.Equal(original with { Replayed = true }, await retry.ReadAsync<StockChangeAnswer>());
        Assert.Equal(new LedgerState(99, 2), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostHyperRestock_RetriedWithSameKey_AddsOnce()
    {
        await SetStockAsync(10);
        var key = NewKey();

        using var first = await Operator.SendAsync(Http.Request(HttpMethod.Post, Http.Path("/api/hyper/restock"), Http.Json(new { quantity = 5 }), key));
        using var retry = await Operator.SendAsync(Http.Request(HttpMethod.Post, Http.Path("/api/hyper/restock"), Http.Json(new { quantity = 5 }), key));

        Assert.Equal((await first.ReadAsync<StockChangeAnswer>()) with { Replayed = true }, await retry.ReadAsync<StockChangeAnswer>());
        Assert.Equal(new LedgerState(15, 2), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostHyperRestock_WithKeyOfEarlierSet_Returns409IdempotencyKeyReused()
    {
        var key = NewKey();
        using var set = await Operator.SendAsync(Http.Request(HttpMethod.Post, Http.Path("/api/hyper"), Http.Json(new { quantity = 5 }), key));
        await set.AssertStatusAsync(HttpStatusCode.OK);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await Operator.SendAsync(Http.Request(HttpMethod.Post, Http.Path("/api/hyper/restock"), Http.Json(new { quantity = 5 }), key));

            await response.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency-key-reused");
        });
    }
}
