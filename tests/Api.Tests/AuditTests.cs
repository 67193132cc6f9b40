using System.Globalization;
using System.Net;
using Hyperstore.Api.Tests.Support;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary><c>GET /api/audit/events</c>, <c>/stock</c> and <c>/verify</c>: the ledger itself, past stock by replay, and a consistency check.</summary>
[Collection(ApiCollection.Name)]
public class AuditTests(ApiFixture api) : ApiTestBase(api)
{
    /// <summary>Writes set 10, buy 1, buy 2, restock 5, buy 1 (stock 11) and returns the answers' positions.</summary>
    private async Task<List<string>> WriteHistoryAsync()
    {
        var positions = new List<string> { (await SetStockAsync(10)).Position };
        foreach (var quantity in new[] { 1, 2 })
        {
            using var buy = await BuyAsync(new { quantity });
            positions.Add((await buy.ReadAsync<BuyAnswer>()).Position);
        }
        using (var restock = await Operator.PostAsync(Http.Path("/api/hyper/restock"), Http.Json(new { quantity = 5 })))
        {
            positions.Add((await restock.ReadAsync<StockChangeAnswer>()).Position);
        }
        using var last = await BuyAsync();
        positions.Add((await last.ReadAsync<BuyAnswer>()).Position);
        return positions;
    }

    private async Task<EventPageAnswer> EventsAsync(params (string Name, string? Value)[] query)
    {
        using var response = await Auditor.GetAsync(Http.Path("/api/audit/events", null, query));
        return await response.ReadAsync<EventPageAnswer>();
    }

    [Fact]
    public async Task GetAuditEvents_WithoutParameters_ReturnsTheWholeLedgerInOrder()
    {
        var positions = await WriteHistoryAsync();

        var page = await EventsAsync();

        Assert.Equal("eu", page.Region);
        Assert.Null(page.Next);
        Assert.Equal(positions, page.Events.Select(e => e.Position));
        Assert.Equal(["StockLevelSet", "HyperBought", "HyperBought", "HyperRestocked", "HyperBought"], page.Events.Select(e => e.Type));
        Assert.Equal([10L, 1, 2, 5, 1], page.Events.Select(e => e.Quantity));
        Assert.Equal([(0L, 10L), (10, 9), (9, 7), (7, 12), (12, 11)], page.Events.Select(e => (e.LevelBefore, e.LevelAfter)));
        Assert.Equal([TestClients.Operator, TestClients.Shopper, TestClients.Shopper, TestClients.Operator, TestClients.Shopper],
            page.Events.Select(e => e.Client));
        Assert.All(page.Events, e => Assert.False(string.IsNullOrEmpty(e.CommandId)));
        Assert.All(page.Events, e => Assert.InRange(e.OccurredAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task GetAuditEvents_WithCount_PagesThroughWithNext()
    {
        var positions = await WriteHistoryAsync();
        var seen = new List<string>();
        var pages = new List<int>();
        string? from = null;

        for (var page = 0; page < 10; page++)
        {
            var answer = await EventsAsync(("count", "2"), ("from", from));
            seen.AddRange(answer.Events.Select(e => e.Position));
            pages.Add(answer.Events.Length);
            if (answer.Next is null)
            {
                break;
            }
            Assert.Equal(answer.Events[^1].Position, answer.Next);
            from = answer.Next;
        }

        Assert.Equal(positions, seen);
        Assert.Equal([2, 2, 1], pages);
    }

    [Fact]
    public async Task GetAuditEvents_FromAPosition_ReturnsOnlyLaterEvents()
    {
        var positions = await WriteHistoryAsync();

        var page = await EventsAsync(("from", positions[2]));

        Assert.Equal(positions.Skip(3), page.Events.Select(e => e.Position));
    }

    [Fact]
    public async Task GetAuditEvents_FromATime_ReturnsEventsAtOrAfterIt()
    {
        await SetStockAsync(10);
        await Task.Delay(20);
        var time = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        using var buy = await BuyAsync();
        var position = (await buy.ReadAsync<BuyAnswer>()).Position;

        var page = await EventsAsync(("from", time.ToString("O", CultureInfo.InvariantCulture)));

        Assert.Equal([position], page.Events.Select(e => e.Position));
    }

    [Fact]
    public async Task GetAuditEvents_OfAnotherRegion_ShowsOnlyThatRegion()
    {
        await WriteHistoryAsync();
        await SetStockAsync(3, "na");

        var page = await EventsAsync(("region", "na"));

        Assert.Equal("na", page.Region);
        Assert.Equal(3, Assert.Single(page.Events).LevelAfter);
    }

    [Theory]
    [InlineData("from", "yesterday", "validation")]
    [InlineData("from", "1-2-3", "validation")]
    [InlineData("from", "03/04/2026", "validation")]
    [InlineData("count", "0", "validation")]
    [InlineData("count", "1001", "validation")]
    [InlineData("count", "-5", "validation")]
    [InlineData("count", "ten", "malformed-request")]
    [InlineData("region", "mars", "validation")]
    public async Task GetAuditEvents_WithBadParameter_Returns400(string name, string value, string type)
    {
        using var response = await Auditor.GetAsync(Http.Path("/api/audit/events", null, (name, value)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, type);
        if (type == "validation")
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(name, out _));
        }
    }

    [Fact]
    public async Task GetAuditStock_Now_ReplaysTheWholeStream()
    {
        var positions = await WriteHistoryAsync();

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/stock"));

        Assert.Equal(new StockAsOfAnswer("eu", 11, positions[^1], 5, false), await response.ReadAsync<StockAsOfAnswer>());
    }

    [Fact]
    public async Task GetAuditStock_AtAPosition_ReplaysUpToIt()
    {
        var positions = await WriteHistoryAsync();

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/stock", null, ("at", positions[2])));

        Assert.Equal(new StockAsOfAnswer("eu", 7, positions[2], 3, false), await response.ReadAsync<StockAsOfAnswer>());
    }

    [Fact]
    public async Task GetAuditStock_AtATime_ReplaysUpToIt()
    {
        var set = await SetStockAsync(10);
        await Task.Delay(20);
        var time = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        using (await BuyAsync())
        {
        }

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/stock", null, ("at", time.ToString("O", CultureInfo.InvariantCulture))));

        Assert.Equal(new StockAsOfAnswer("eu", 10, set.Position, 1, false), await response.ReadAsync<StockAsOfAnswer>());
    }

    [Fact]
    public async Task GetAuditStock_BeforeTheFirstEvent_IsZero()
    {
        await WriteHistoryAsync();

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/stock", null, ("at", "2020-01-01T00:00:00Z")));

        Assert.Equal(new StockAsOfAnswer("eu", 0, "0-0", 0, false), await response.ReadAsync<StockAsOfAnswer>());
    }

    [Fact]
    public async Task GetAuditStock_WithSnapshotBeforeThePoint_StartsFromTheSnapshot()
    {
        var positions = await WriteHistoryAsync();
        await Api.Database.HashSetAsync("{hyper:eu}:snapshot",
            [new HashEntry("level", 7), new HashEntry("events", 3), new HashEntry("position", positions[2])]);

        using var now = await Auditor.GetAsync(Http.Path("/api/audit/stock"));
        using var before = await Auditor.GetAsync(Http.Path("/api/audit/stock", null, ("at", positions[1])));

        Assert.Equal(new StockAsOfAnswer("eu", 11, positions[^1], 5, true), await now.ReadAsync<StockAsOfAnswer>());
        Assert.Equal(new StockAsOfAnswer("eu", 9, positions[1], 2, false), await before.ReadAsync<StockAsOfAnswer>());
    }

    [Theory]
    [InlineData("2026-11-29")]
    [InlineData("2026-11-29T10:00Z")]
    [InlineData("2026-11-29T10:00:00Z")]
    [InlineData("2026-11-29T10:00:00.123Z")]
    [InlineData("2026-11-29T11:00:00+01:00")]
    [InlineData("2026-11-29T10:00:00")]
    [InlineData("1764400000000-0")]
    [InlineData("1764400000000")]
    public async Task GetAuditStock_AtIsoTimeOrPosition_Answers(string at)
    {
        using var response = await Auditor.GetAsync(Http.Path("/api/audit/stock", null, ("at", at)));

        await response.AssertStatusAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("at", "soon")]
    [InlineData("at", "1-x")]
    [InlineData("at", "1-2-3")]
    [InlineData("at", "11/29/2026")]
    [InlineData("at", "29.11.2026")]
    [InlineData("at", "1969-12-31T23:59:59Z")]
    [InlineData("region", "XX")]
    public async Task GetAuditStock_WithBadParameter_Returns400Validation(string name, string value)
    {
        using var response = await Auditor.GetAsync(Http.Path("/api/audit/stock", null, (name, value)));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task GetAuditVerify_AfterWritesNotYetProjected_IsConsistentAndShowsTheLag()
    {
        var positions = await WriteHistoryAsync();

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/verify"));

        var answer = await response.ReadAsync<VerificationAnswer>();
        Assert.Empty(answer.Differences);
        Assert.Equal(new VerificationAnswer("eu", true, 11, 11, 0, positions[^1], "0-0", 5, 5, answer.Differences), answer);
    }

    [Fact]
    public async Task GetAuditVerify_WithReadModelMatchingReplayAtItsPosition_IsConsistent()
    {
        var positions = await WriteHistoryAsync();
        await Api.SeedReadModelAsync("eu", 7, positions[2], DateTimeOffset.UtcNow, 3);

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/verify"));

        var answer = await response.ReadAsync<VerificationAnswer>();
        Assert.True(answer.Consistent, string.Join("; ", answer.Differences));
        Assert.Equal((7L, positions[2], 2L), (answer.ReadModelStock, answer.ReadModelPosition, answer.EventsBehind));
    }

    [Fact]
    public async Task GetAuditVerify_WhenReadModelDisagrees_ReportsTheDifference()
    {
        var positions = await WriteHistoryAsync();
        await Api.SeedReadModelAsync("eu", 8, positions[2], DateTimeOffset.UtcNow, 3);

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/verify"));

        var answer = await response.ReadAsync<VerificationAnswer>();
        Assert.False(answer.Consistent);
        Assert.Contains(answer.Differences, d => d.Contains("read model shows 8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetAuditVerify_WhenWriteSideStockWasAlteredOutsideTheLedger_ReportsTheDifference()
    {
        await WriteHistoryAsync();
        await Api.Database.StringSetAsync("{hyper:eu}:stock", 500);

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/verify"));

        var answer = await response.ReadAsync<VerificationAnswer>();
        Assert.False(answer.Consistent);
        Assert.Equal((500L, 11L), (answer.WriteStock, answer.ReplayStock));
        Assert.Contains(answer.Differences, d => d.Contains("write-side stock is 500", StringComparison.Ordinal));
    }

    /// <summary>Writes the history, then an entry by hand that is not an event (as the projector would dead-letter), then one more buy.</summary>
    private async Task<(List<string> Positions, string Poison)> WriteHistoryWithAnUnreadableEntryAsync()
    {
        var positions = await WriteHistoryAsync();
        var poison = await Api.Database.StreamAddAsync("{hyper:eu}:events", [new NameValueEntry("type", "HyperBought"), new NameValueEntry("v", "9")]);
        using var late = await BuyAsync();
        positions.Add((await late.ReadAsync<BuyAnswer>()).Position);
        return (positions, poison.ToString());
    }

    [Fact]
    public async Task GetAuditVerify_WithAnEntryThatIsNotAnEvent_ReportsItAndComparesTheRest()
    {
        var (positions, poison) = await WriteHistoryWithAnUnreadableEntryAsync();

        using var response = await Auditor.GetAsync(Http.Path("/api/audit/verify"));

        var answer = await response.ReadAsync<VerificationAnswer>();
        Assert.False(answer.Consistent);
        Assert.Equal((10L, 10L, positions[^1], 6L), (answer.WriteStock, answer.ReplayStock, answer.StreamHead, answer.Events));
        var difference = Assert.Single(answer.Differences, d => !d.StartsWith("read model", StringComparison.Ordinal));
        Assert.Contains($"{poison} cannot be decoded", difference, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAuditStockAndEvents_OverAnEntryThatIsNotAnEvent_Return500UnreadableEntryNamingIt()
    {
        var (positions, poison) = await WriteHistoryWithAnUnreadableEntryAsync();

        using var stock = await Auditor.GetAsync(Http.Path("/api/audit/stock"));
        using var events = await Auditor.GetAsync(Http.Path("/api/audit/events"));
        var after = await EventsAsync(("from", poison));

        foreach (var response in new[] { stock, events })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.InternalServerError, "unreadable-entry");
            Assert.Equal(poison, problem.GetProperty("entry").GetString());
        }
        Assert.Equal([positions[^1]], after.Events.Select(e => e.Position));
    }

    [Fact]
    public async Task GetAuditVerify_InUnknownRegion_Returns400Validation()
    {
        using var response = await Auditor.GetAsync(Http.Path("/api/audit/verify", "atlantis"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }
}
