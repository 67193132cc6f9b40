using System.Net;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary><c>PUT /api/hyper/own</c>: buying, and every way a buy is refused without changing anything.</summary>
[Collection(ApiCollection.Name)]
public class PutOwnTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task PutOwn_WithoutBody_BuysOne()
    {
        await SetStockAsync(10);

        using var response = await BuyAsync();

        var answer = await response.ReadAsync<BuyAnswer>();
        Assert.Equal(("eu", 9L, 1L, false), (answer.Region, answer.Quantity, answer.Bought, answer.Replayed));
        Assert.Equal(new LedgerState(9, 2), await Api.LedgerAsync("eu"));
        var head = await Api.Database.StreamRangeAsync("{hyper:eu}:events", "-", "+", 1, StackExchange.Redis.Order.Descending);
        Assert.Equal(answer.Position, head[0].Id.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(ApiFixture.MaxBuyQuantity)]
    public async Task PutOwn_WithQuantity_BuysThatMany(long quantity)
    {
        await SetStockAsync(10);

        using var response = await BuyAsync(new { quantity });

        var answer = await response.ReadAsync<BuyAnswer>();
        Assert.Equal((10 - quantity, quantity), (answer.Quantity, answer.Bought));
        Assert.Equal(new LedgerState(10 - quantity, 2), await Api.LedgerAsync("eu"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"quantity\":null}")]
    public async Task PutOwn_WithoutQuantityInBody_BuysOne(string body)
    {
        await SetStockAsync(10);

        using var response = await Shopper.PutAsync(Http.Path("/api/hyper/own"), Http.Raw(body));

        Assert.Equal(1, (await response.ReadAsync<BuyAnswer>()).Bought);
    }

    [Fact]
    public async Task PutOwn_InAnotherRegion_ChangesOnlyThatRegion()
    {
        await SetStockAsync(10, "eu");
        await SetStockAsync(4, "na");

        using var response = await BuyAsync(new { quantity = 2 }, region: "na");

        var answer = await response.ReadAsync<BuyAnswer>();
        Assert.Equal(("na", 2L), (answer.Region, answer.Quantity));
        Assert.Equal(new LedgerState(2, 2), await Api.LedgerAsync("na"));
        Assert.Equal(new LedgerState(10, 1), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PutOwn_WhenSoldOut_Returns409()
    {
        await SetStockAsync(2);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await BuyAsync(new { quantity = 3 });

            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "sold-out");
            Assert.Equal("Sold out: asked for 3, 2 left.", problem.Detail());
        });
    }

    [Fact]
    public async Task PutOwn_WhenRegionNeverStocked_Returns409SoldOut()
    {
        await AssertUnchangedAsync(async () =>
        {
            using var response = await BuyAsync(region: "sa");

            await response.AssertProblemAsync(HttpStatusCode.Conflict, "sold-out");
        }, "sa");
    }

    [Fact]
    public async Task PutOwn_UntilSoldOut_SellsEveryHyperExactlyOnce()
    {
        await SetStockAsync(3);
        var answers = new List<HttpStatusCode>();

        for (var i = 0; i < 5; i++)
        {
            using var response = await BuyAsync();
            answers.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Conflict], answers);
        Assert.Equal(new LedgerState(0, 4), await Api.LedgerAsync("eu"));
    }

    public static TheoryData<string, string?, HttpStatusCode, string> BadBodies => new()
    {
        { "{\"quantity\":", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":1} trailing", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "[1]", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "1", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":1,\"colour\":\"red\"}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":\"2\"}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":1.5}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":true}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":99999999999999999999}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":9223372036854775807}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":0}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":-1}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":-9223372036854775808}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":6}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":1}", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "quantity=1", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "{\"quantity\":1}", null, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task PutOwn_WithBadBody_Returns4xxProblemAndChangesNothing(string body, string? contentType, HttpStatusCode status, string type)
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await Shopper.PutAsync(Http.Path("/api/hyper/own"), Http.Raw(body, contentType));

            var problem = await response.AssertProblemAsync(status, type);
            Assert.False(string.IsNullOrWhiteSpace(problem.Detail()));
            Assert.DoesNotContain("Hyperstore.", problem.Detail(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PutOwn_AboveMaxBuyQuantity_Returns400NamingTheCap()
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await BuyAsync(new { quantity = ApiFixture.MaxBuyQuantity + 1 });

            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.Contains($"between 1 and {ApiFixture.MaxBuyQuantity}", problem.GetProperty("errors").GetProperty("quantity")[0].GetString(),
                StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PutOwn_WithBodyOver16KiB_Returns413AndChangesNothing(bool chunked)
    {
        await SetStockAsync(10);
        // Valid JSON, so that only its size can be the reason for refusing it.
        var body = "{\"quantity\":1" + new string(' ', 17 * 1024) + "}";

        await AssertUnchangedAsync(async () =>
        {
            HttpContent content = Http.Raw(body);
            if (chunked)
            {
                content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            }
            using var request = Http.Request(HttpMethod.Put, Http.Path("/api/hyper/own"), content);
            request.Headers.TransferEncodingChunked = chunked;
            using var response = await Shopper.SendAsync(request);

            await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        });
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("EU")]
    [InlineData("")]
    [InlineData("eu;DROP")]
    public async Task PutOwn_InUnknownRegion_Returns400Validation(string region)
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await BuyAsync(region: region);

            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.GetProperty("errors").TryGetProperty("region", out _));
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/key")]
    [InlineData("quote\"key")]
    [InlineData("k123456789k123456789k123456789k123456789k123456789k123456789k123456789k123456789k123456789k1234567890")]
    public async Task PutOwn_WithBadIdempotencyKey_Returns400Validation(string key)
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await BuyAsync(idempotencyKey: key);

            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.Contains("Idempotency-Key", problem.Detail(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PutOwn_WithLongestAllowedIdempotencyKey_Buys()
    {
        await SetStockAsync(10);

        using var response = await BuyAsync(idempotencyKey: "order:2026-11-29." + new string('k', 100 - 17));

        Assert.Equal(9, (await response.ReadAsync<BuyAnswer>()).Quantity);
    }
}
