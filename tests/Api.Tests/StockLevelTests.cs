using System.Net;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary><c>POST /api/hyper</c> (set the level) and <c>POST /api/hyper/restock</c> (add to it), for clients with the <c>stock</c> scope.</summary>
[Collection(ApiCollection.Name)]
public class StockLevelTests(ApiFixture api) : ApiTestBase(api)
{
    private const long MaxLevel = 1_000_000_000;

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(MaxLevel)]
    public async Task PostHyper_WithQuantity_SetsTheLevel(long quantity)
    {
        await SetStockAsync(7);

        using var response = await Operator.PostAsync(Http.Path("/api/hyper"), Http.Json(new { quantity }));

        var answer = await response.ReadAsync<StockChangeAnswer>();
        Assert.Equal(("eu", quantity, false), (answer.Region, answer.Quantity, answer.Replayed));
        Assert.Equal(new LedgerState(quantity, 2), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostHyper_InAnotherRegion_SetsOnlyThatRegion()
    {
        using var response = await Operator.PostAsync(Http.Path("/api/hyper", "sa"), Http.Json(new { quantity = 12 }));

        Assert.Equal("sa", (await response.ReadAsync<StockChangeAnswer>()).Region);
        Assert.Equal(new LedgerState(12, 1), await Api.LedgerAsync("sa"));
        Assert.Equal(new LedgerState(0, 0), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostHyperRestock_WithQuantity_AddsToTheLevel()
    {
        await SetStockAsync(10);

        using var response = await Operator.PostAsync(Http.Path("/api/hyper/restock"), Http.Json(new { quantity = 5 }));

        var answer = await response.ReadAsync<StockChangeAnswer>();
        Assert.Equal(("eu", 15L, false), (answer.Region, answer.Quantity, answer.Replayed));
        Assert.Equal(new LedgerState(15, 2), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostHyperRestock_OnNeverStockedRegion_StartsFromZero()
    {
        using var response = await Operator.PostAsync(Http.Path("/api/hyper/restock", "na"), Http.Json(new { quantity = 3 }));

        Assert.Equal(3, (await response.ReadAsync<StockChangeAnswer>()).Quantity);
    }

    [Fact]
    public async Task PostHyperRestock_PastTheLimit_Returns409StockLimit()
    {
        await SetStockAsync(MaxLevel - 1);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await Operator.PostAsync(Http.Path("/api/hyper/restock"), Http.Json(new { quantity = 2 }));

            var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, "stock-limit");
            Assert.Contains("1000000000", problem.Detail(), StringComparison.Ordinal);
        });
    }

    public static TheoryData<string, string?, HttpStatusCode, string> BadSetBodies => new()
    {
        { "", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":null}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":-1}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":1000000001}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "{\"quantity\":99999999999999999999}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":\"10\"}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":10,\"region\":\"na\"}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"qty\":10}", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":10", "application/json", HttpStatusCode.BadRequest, "malformed-request" },
        { "{\"quantity\":10}", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
    };

    [Theory]
    [MemberData(nameof(BadSetBodies))]
    public async Task PostHyper_WithBadBody_Returns4xxProblemAndChangesNothing(string body, string? contentType, HttpStatusCode status, string type)
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await Operator.PostAsync(Http.Path("/api/hyper"), Http.Raw(body, contentType));

            await response.AssertProblemAsync(status, type);
        });
    }

    [Theory]
    [InlineData("{\"quantity\":0}", "validation")]
    [InlineData("{\"quantity\":-5}", "validation")]
    [InlineData("{\"quantity\":1000000001}", "validation")]
    [InlineData("{}", "validation")]
    [InlineData("{\"quantity\":2.0}", "malformed-request")]
    [InlineData("{\"quantity\":5,\"extra\":1}", "malformed-request")]
    public async Task PostHyperRestock_WithBadBody_Returns400AndChangesNothing(string body, string type)
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await Operator.PostAsync(Http.Path("/api/hyper/restock"), Http.Raw(body));

            await response.AssertProblemAsync(HttpStatusCode.BadRequest, type);
        });
    }

    [Theory]
    [InlineData("/api/hyper")]
    [InlineData("/api/hyper/restock")]
    public async Task PostStock_InUnknownRegion_Returns400Validation(string path)
    {
        using var response = await Operator.PostAsync(Http.Path(path, "moon"), Http.Json(new { quantity = 1 }));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(new LedgerState(0, 0), await Api.LedgerAsync("eu"));
    }

    [Fact]
    public async Task PostHyper_WithBodyOver16KiB_Returns413()
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await Operator.PostAsync(Http.Path("/api/hyper"),
                Http.Raw("{\"quantity\":1" + new string(' ', 16 * 1024) + "}"));

            await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        });
    }

    [Fact]
    public async Task PostHyper_WithBodyOfExactly16KiB_IsRead()
    {
        var prefix = "{\"quantity\":42";
        var body = prefix + new string(' ', (16 * 1024) - prefix.Length - 1) + "}";
        Assert.Equal(16 * 1024, body.Length);

        using var response = await Operator.PostAsync(Http.Path("/api/hyper"), Http.Raw(body));

        Assert.Equal(42, (await response.ReadAsync<StockChangeAnswer>()).Quantity);
    }
}
