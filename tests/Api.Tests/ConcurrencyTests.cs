using System.Net;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>Many buyers at once, through HTTP: the ledger never sells what it does not have.</summary>
[Collection(ApiCollection.Name)]
public class ConcurrencyTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task PutOwn_200ConcurrentBuysOfStock50_Accepts50AndRefusesTheRest()
    {
        await SetStockAsync(50);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buyers = new[] { Shopper, Api.Client(TestClients.OtherShopper) };

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => buyers[i % 2].SendAsync(
            Http.Request(HttpMethod.Put, Http.Path("/api/hyper/own"), idempotencyKey: $"buy-{i}"), timeout.Token)));
        var accepted = new List<BuyAnswer>();
        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    accepted.Add(await response.ReadAsync<BuyAnswer>());
                }
                else
                {
                    await response.AssertProblemAsync(HttpStatusCode.Conflict, "sold-out");
                }
            }
        }

        Assert.Equal(50, accepted.Count);
        // Each accepted buy left a different level: 49, 48, … 0, in the order of their positions.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i).Reverse(),
            accepted.OrderBy(a => a.Position, StreamPositionComparer.Instance).Select(a => a.Quantity));
        Assert.Equal(new LedgerState(0, 51), await Api.LedgerAsync("eu"));

        using var verify = await Auditor.GetAsync(Http.Path("/api/audit/verify"));
        var verification = await verify.ReadAsync<VerificationAnswer>();
        Assert.True(verification.Consistent, string.Join("; ", verification.Differences));
        Assert.Equal((0L, 0L, 51L), (verification.WriteStock, verification.ReplayStock, verification.Events));
    }

    [Fact]
    public async Task PutOwnAndPostRestock_Interleaved_KeepEveryLevelConsistent()
    {
        await SetStockAsync(10);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var buys = Enumerable.Range(0, 60).Select(i => Shopper.SendAsync(
            Http.Request(HttpMethod.Put, Http.Path("/api/hyper/own"), Http.Json(new { quantity = 2 }), $"b-{i}"), timeout.Token));
        var restocks = Enumerable.Range(0, 20).Select(i => Operator.SendAsync(
            Http.Request(HttpMethod.Post, Http.Path("/api/hyper/restock"), Http.Json(new { quantity = 3 }), $"r-{i}"), timeout.Token));
        var responses = await Task.WhenAll(buys.Concat(restocks));
        var bought = responses.Take(60).Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.All(responses.Skip(60), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        var ledger = await Api.LedgerAsync("eu");
        Assert.Equal(10 + (20 * 3) - (bought * 2), ledger.Stock);
        Assert.Equal(1 + 20 + bought, ledger.Events);
        using var verify = await Auditor.GetAsync(Http.Path("/api/audit/verify"));
        var verification = await verify.ReadAsync<VerificationAnswer>();
        Assert.True(verification.Consistent, string.Join("; ", verification.Differences));
    }

    private sealed class StreamPositionComparer : IComparer<string>
    {
        public static readonly StreamPositionComparer Instance = new();

        public int Compare(string? x, string? y) => Parse(x).CompareTo(Parse(y));

        private static (long, long) Parse(string? position)
        {
            var parts = position!.Split('-');
            return (long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
