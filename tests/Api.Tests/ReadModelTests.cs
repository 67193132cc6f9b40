using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hyperstore.Api.Tests.Support;
using StreamPosition = Hyperstore.Ledger.StreamPosition;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>
/// <c>GET /api/hyper</c>, <c>/all</c> and <c>/activity</c> answer from the read model, which the projector writes; these tests write
/// it as the projector would. <c>minPosition</c> waits, bounded, for the read model to reach a write.
/// </summary>
[Collection(ApiCollection.Name)]
public class ReadModelTests(ApiFixture api) : ApiTestBase(api)
{
    private static readonly DateTimeOffset UpdatedAt = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetHyper_BeforeAnythingWasProjected_ReturnsZeroAtStart()
    {
        using var response = await Reader.GetAsync(Http.Path("/api/hyper"));

        Assert.Equal(new StockAnswer(0, "eu", "0-0", null), await response.ReadAsync<StockAnswer>());
    }

    [Fact]
    public async Task GetHyper_AfterWritesNotYetProjected_ShowsTheReadModelNotTheWriteSide()
    {
        await SetStockAsync(10);
        await Api.SeedReadModelAsync("eu", 7, "1764400000000-3", UpdatedAt, 4);

        using var response = await Reader.GetAsync(Http.Path("/api/hyper"));

        Assert.Equal(new StockAnswer(7, "eu", "1764400000000-3", UpdatedAt), await response.ReadAsync<StockAnswer>());
    }

    [Fact]
    public async Task GetHyper_WithRegion_ReturnsThatRegion()
    {
        await Api.SeedReadModelAsync("na", 5, "1764400000000-0", UpdatedAt, 1);

        using var response = await Reader.GetAsync(Http.Path("/api/hyper", "na"));

        Assert.Equal(new StockAnswer(5, "na", "1764400000000-0", UpdatedAt), await response.ReadAsync<StockAnswer>());
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("Eu")]
    [InlineData("eu\n")]
    public async Task GetHyper_InUnknownRegion_Returns400Validation(string region)
    {
        using var response = await Reader.GetAsync(Http.Path("/api/hyper", region));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task GetHyperAll_ReturnsEveryConfiguredRegionInOrder()
    {
        await Api.SeedReadModelAsync("na", 5, "1764400000000-0", UpdatedAt, 1);
        await Api.SeedReadModelAsync("sa", 8, "1764400000001-0", UpdatedAt, 2);

        using var response = await Reader.GetAsync(Http.Path("/api/hyper/all"));

        Assert.Equal(
            [new StockAnswer(0, "eu", "0-0", null), new StockAnswer(5, "na", "1764400000000-0", UpdatedAt), new StockAnswer(8, "sa", "1764400000001-0", UpdatedAt)],
            await response.ReadAsync<StockAnswer[]>());
    }

    [Fact]
    public async Task GetHyperActivity_ReturnsTheProjectedEntriesNewestFirstUpToCount()
    {
        var entries = Enumerable.Range(1, 3).Select(i => new ActivityAnswer($"1764400000000-{i}", "HyperBought", "shopper", 1, 10 - i, UpdatedAt.AddSeconds(i))).ToList();
        foreach (var entry in entries)
        {
            await Api.Database.ListLeftPushAsync("{hyper:eu}:view:activity", JsonSerializer.Serialize(entry, Http.Strict));
        }

        using var all = await Reader.GetAsync(Http.Path("/api/hyper/activity"));
        using var two = await Reader.GetAsync(Http.Path("/api/hyper/activity", "eu", ("count", "2")));

        Assert.Equal(entries.AsEnumerable().Reverse(), await all.ReadAsync<ActivityAnswer[]>());
        Assert.Equal(entries.AsEnumerable().Reverse().Take(2), await two.ReadAsync<ActivityAnswer[]>());
    }

    [Fact]
    public async Task GetHyperActivity_WhenNothingProjected_ReturnsEmptyList()
    {
        using var response = await Reader.GetAsync(Http.Path("/api/hyper/activity", "sa"));

        Assert.Empty(await response.ReadAsync<ActivityAnswer[]>());
    }

    [Theory]
    [InlineData("0", "validation")]
    [InlineData("-1", "validation")]
    [InlineData("101", "validation")]
    [InlineData("abc", "malformed-request")]
    [InlineData("99999999999", "malformed-request")]
    public async Task GetHyperActivity_WithBadCount_Returns400(string count, string type)
    {
        using var response = await Reader.GetAsync(Http.Path("/api/hyper/activity", null, ("count", count)));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, type);
    }

    [Theory]
    [InlineData("1764400000000-3")]
    [InlineData("1764400000000-0")]
    [InlineData("1764400000000")]
    [InlineData("0-0")]
    public async Task GetHyper_WithMinPositionTheReadModelHasReached_ReturnsAtOnce(string minPosition)
    {
        await Api.SeedReadModelAsync("eu", 7, "1764400000000-3", UpdatedAt, 4);
        var clock = Stopwatch.StartNew();

        using var response = await Reader.GetAsync(Http.Path("/api/hyper", null, ("minPosition", minPosition)));

        Assert.Equal(7, (await response.ReadAsync<StockAnswer>()).Quantity);
        Assert.True(clock.Elapsed < ApiFixture.ReadYourWritesTimeout, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task GetHyper_WithMinPositionOfOwnBuyNotYetProjected_Returns503StaleReadAfterTheWait()
    {
        await SetStockAsync(10);
        using var buy = await BuyAsync();
        var position = (await buy.ReadAsync<BuyAnswer>()).Position;
        await Api.SeedReadModelAsync("eu", 10, "1-0", UpdatedAt, 1);
        var clock = Stopwatch.StartNew();

        using var response = await Reader.GetAsync(Http.Path("/api/hyper", null, ("minPosition", position)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "stale-read");
        Assert.True(clock.Elapsed >= ApiFixture.ReadYourWritesTimeout, $"answered after {clock.Elapsed}, before the configured wait");
        Assert.True(clock.Elapsed < ApiFixture.ReadYourWritesTimeout * 3, $"answered after {clock.Elapsed}");
        Assert.Equal(1, response.RetryAfterSeconds());
        Assert.Equal("1-0", problem.GetProperty("position").GetString());
        Assert.Equal(position, problem.GetProperty("minPosition").GetString());
    }

    [Fact]
    public async Task GetHyper_WithMinPositionBeyondTheRegionsNewestEvent_Returns400WithoutWaiting()
    {
        await SetStockAsync(10);
        using var buy = await BuyAsync();
        var position = StreamPosition.Parse((await buy.ReadAsync<BuyAnswer>()).Position);
        var clock = Stopwatch.StartNew();

        // A made-up position, and a real one of another region (whose stream has no event at all).
        using var future = await Reader.GetAsync(Http.Path("/api/hyper", null, ("minPosition", (position with { Milliseconds = position.Milliseconds + 60_000 }).ToString())));
        using var elsewhere = await Reader.GetAsync(Http.Path("/api/hyper", "na", ("minPosition", position.ToString())));

        foreach (var response in new[] { future, elsewhere })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty("minPosition", out _));
        }
        Assert.True(clock.Elapsed < ApiFixture.ReadYourWritesTimeout, $"took {clock.Elapsed}: the requests waited");
    }

    [Fact]
    public async Task GetHyper_WhenProjectorCatchesUpDuringTheWait_ReturnsTheFreshView()
    {
        await SetStockAsync(10);
        using var buy = await BuyAsync();
        var position = (await buy.ReadAsync<BuyAnswer>()).Position;

        var read = Reader.GetAsync(Http.Path("/api/hyper", null, ("minPosition", position)));
        await Task.Delay(100);
        await Api.SeedReadModelAsync("eu", 9, position, UpdatedAt, 2);
        using var response = await read;

        Assert.Equal(new StockAnswer(9, "eu", position, UpdatedAt), await response.ReadAsync<StockAnswer>());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1-2-3")]
    [InlineData("-1")]
    [InlineData("1-")]
    [InlineData("1.5-0")]
    [InlineData("2026-11-29T10:00:00Z")]
    [InlineData("99999999999999999999-0")]
    public async Task GetHyper_WithBadMinPosition_Returns400Validation(string minPosition)
    {
        using var response = await Reader.GetAsync(Http.Path("/api/hyper", null, ("minPosition", minPosition)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("minPosition", out _));
    }
}
