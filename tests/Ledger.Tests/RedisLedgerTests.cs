using Hyperstore.Domain;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger.Scripts;
using Hyperstore.Testing;
using Xunit;

namespace Hyperstore.Ledger.Tests;

[Collection(RedisTestCollection.Name)]
public class RedisLedgerTests(RedisFixture redis)
{
    private static readonly ClientId Client = ClientId.Parse("shopper");
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, 123, TimeSpan.Zero);

    private RedisLedger Ledger => new(redis.Connection, new LedgerOptions());

    [Fact]
    public async Task Append_WritesAnEntryWithTheDocumentedFields()
    {
        var region = Region.Parse(TestRegions.Unique());
        var result = await Ledger.AppendAsync(SetStockLevel.Create(region, 500, Client, CommandId.Parse("seed"), Now));

        var applied = Assert.IsType<AppendResult.Applied>(result);
        var entries = await redis.Connection.GetDatabase().StreamRangeAsync(new LedgerKeys(region).Events);
        var entry = Assert.Single(entries);
        Assert.Equal(applied.Position.ToString(), entry.Id.ToString());
        Assert.Equal(
            [$"event=2|StockLevelSet|500|0|500|shopper|seed|{Now.ToUnixTimeMilliseconds()}"],
            entry.Values.Select(v => $"{v.Name}={v.Value}"));
        Assert.Equal(
            StockEventCodec.Encode(new StockLevelSet(region, Quantity.Of(500), Quantity.Zero, Quantity.Of(500), Client, CommandId.Parse("seed"), Now))
                .Select(v => $"{v.Name}={v.Value}"),
            entry.Values.Select(v => $"{v.Name}={v.Value}"));
    }

    [Fact]
    public async Task Append_DecodesBackToTheEventTheDeciderMakes()
    {
        var region = Region.Parse(TestRegions.Unique());
        await Ledger.AppendAsync(SetStockLevel.Create(region, 2, Client, CommandId.Parse("seed"), Now));
        var buy = BuyHyper.Create(region, 1, Client, CommandId.Parse("buy-1"), Now);
        await Ledger.AppendAsync(buy);

        var expected = ((Decision.Accepted)StockDecider.Decide(StockState.Initial(region) with { Level = Quantity.Of(2) }, buy)).Event;
        var page = await new EventStreamReader(redis.Connection).ReadPageAsync(region, StreamPosition.Start, 10);
        Assert.Equal(expected, page[1].Event);
    }

    [Fact]
    public async Task Append_WithARememberedId_KeepsTheIdempotencyRecordForTheWindow()
    {
        var region = Region.Parse(TestRegions.Unique());
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions { IdempotencyWindow = TimeSpan.FromMinutes(5) });
        await ledger.AppendAsync(SetStockLevel.Create(region, 5, Client, CommandId.Parse("k1"), Now));

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(new LedgerKeys(region).Command(Client, CommandId.Parse("k1")));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Append_WithARememberedId_KeepsOneStringOfStockAfterEntryIdAndFingerprint()
    {
        var region = Region.Parse(TestRegions.Unique());
        var applied = Assert.IsType<AppendResult.Applied>(
            await Ledger.AppendAsync(SetStockLevel.Create(region, 5, Client, CommandId.Parse("k1"), Now)));

        var record = await redis.Connection.GetDatabase().StringGetAsync(new LedgerKeys(region).Command(Client, CommandId.Parse("k1")));

        Assert.Equal($"5|{applied.Position}|set:5", record.ToString());
    }

    [Theory]
    [InlineData("set:5", 2)]
    [InlineData("restock:3", -3)]
    public async Task AppendScript_GivenAHashRecordOfThePreviousVersion_StillHonoursIt(string fingerprint, long expectedStatus)
    {
        var region = Region.Parse(TestRegions.Unique());
        var keys = new LedgerKeys(region);
        var commandKey = keys.Command(Client, CommandId.Parse("old"));
        var db = redis.Connection.GetDatabase();
        await db.HashSetAsync(commandKey, [new("fp", "set:5"), new("id", "1796000000000-0"), new("after", "5")]);

        var reply = (StackExchange.Redis.RedisResult[])(await LedgerScripts.Append.EvaluateAsync(db,
            [keys.Stock, keys.Events, commandKey],
            [fingerprint.Split(':')[0], fingerprint.Split(':')[1], Client.Value, "old", "1796000000123", fingerprint, 60, Quantity.Max]))!;

        Assert.Equal(expectedStatus, (long)reply[0]);
        Assert.Equal("1796000000000-0", (string?)reply[2]);
        Assert.Equal(0, await new EventStreamReader(redis.Connection).LengthAsync(region));
    }

    [Fact]
    public async Task AppendScript_GivenAnUnreadableRecord_RefusesAndWritesNothing()
    {
        var region = Region.Parse(TestRegions.Unique());
        var keys = new LedgerKeys(region);
        var commandKey = keys.Command(Client, CommandId.Parse("odd"));
        var db = redis.Connection.GetDatabase();
        await db.StringSetAsync(commandKey, "not a record");

        var reply = (StackExchange.Redis.RedisResult[])(await LedgerScripts.Append.EvaluateAsync(db,
            [keys.Stock, keys.Events, commandKey], ["set", 5, Client.Value, "odd", "1796000000123", "set:5", 60, Quantity.Max]))!;

        Assert.Equal(-4, (long)reply[0]);
        Assert.False(await db.KeyExistsAsync(keys.Stock));
        Assert.Equal(0, await new EventStreamReader(redis.Connection).LengthAsync(region));
        Assert.Equal("not a record", await db.StringGetAsync(commandKey));
    }

    [Fact]
    public async Task Append_WithTheLongestWindow_KeepsTheRecordThatLong()
    {
        var region = Region.Parse(TestRegions.Unique());
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions { IdempotencyWindow = LedgerOptions.MaxIdempotencyWindow });
        Assert.IsType<AppendResult.Applied>(await ledger.AppendAsync(SetStockLevel.Create(region, 5, Client, CommandId.Parse("k1"), Now)));

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(new LedgerKeys(region).Command(Client, CommandId.Parse("k1")));
        Assert.InRange(ttl!.Value, LedgerOptions.MaxIdempotencyWindow - TimeSpan.FromMinutes(1), LedgerOptions.MaxIdempotencyWindow);
    }

    [Fact]
    public async Task Append_WithAGeneratedId_KeepsNoIdempotencyRecord()
    {
        var region = Region.Parse(TestRegions.Unique());
        await Ledger.AppendAsync(SetStockLevel.Create(region, 5, Client, CommandId.Parse("gen"), Now), rememberCommandId: false);

        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(new LedgerKeys(region).Command(Client, CommandId.Parse("gen"))));
    }

    [Fact]
    public async Task Append_SameIdDifferentCommand_IsRejectedAndChangesNothing()
    {
        var region = Region.Parse(TestRegions.Unique());
        var id = CommandId.Parse("dup");
        await Ledger.AppendAsync(SetStockLevel.Create(region, 5, Client, id, Now));

        var result = await Ledger.AppendAsync(RestockHyper.Create(region, 3, Client, id, Now));

        Assert.Equal(new IdempotencyKeyReused(id), Assert.IsType<AppendResult.Rejected>(result).Rejection);
        Assert.Equal(5, (await Ledger.GetStockAsync(region)).Value);
        Assert.Equal(1, await new EventStreamReader(redis.Connection).LengthAsync(region));
    }

    [Fact]
    public async Task Append_SameIdFromAnotherClient_IsAnotherCommand()
    {
        var region = Region.Parse(TestRegions.Unique());
        var id = CommandId.Parse("shared");
        await Ledger.AppendAsync(RestockHyper.Create(region, 1, Client, id, Now));
        var other = await Ledger.AppendAsync(RestockHyper.Create(region, 1, ClientId.Parse("someone-else"), id, Now));

        Assert.False(Assert.IsType<AppendResult.Applied>(other).IsReplay);
        Assert.Equal(2, (await Ledger.GetStockAsync(region)).Value);
    }

    [Fact]
    public async Task Append_AfterScriptFlush_ReloadsTheScriptAndAppliesOnce()
    {
        var region = Region.Parse(TestRegions.Unique());
        await LedgerScripts.LoadAllAsync(redis.Connection);
        Assert.True(await LedgerScripts.Append.IsLoadedAsync(redis.Connection));
        await redis.Connection.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        Assert.False(await LedgerScripts.Append.IsLoadedAsync(redis.Connection));

        var result = await Ledger.AppendAsync(RestockHyper.Create(region, 4, Client, CommandId.Parse("after-flush"), Now));

        Assert.Equal(4, Assert.IsType<AppendResult.Applied>(result).Stock.Value);
        Assert.Equal(1, await new EventStreamReader(redis.Connection).LengthAsync(region));
        Assert.True(await LedgerScripts.Append.IsLoadedAsync(redis.Connection));
    }

    [Theory]
    [InlineData("shop|per", "k1", "1796000000123", "60")]
    [InlineData("shopper", "k|1", "1796000000123", "60")]
    [InlineData("shopper", "k1", "17960|00000123", "60")]
    [InlineData("", "k1", "1796000000123", "60")]
    [InlineData("shop per", "k1", "1796000000123", "60")]
    [InlineData("shopper", "k1\n", "1796000000123", "60")]
    [InlineData("shopper", "k1", "99999999999999999999", "60")]
    [InlineData("shopper", "k1", "1796000000123", "1.5")] // SET … EX would fail after SET and XADD
    [InlineData("shopper", "k1", "1796000000123", "315360001")] // past ten years
    public async Task AppendScript_GivenAnArgumentTheEventCannotHold_RefusesAndWritesNothing(
        string client, string commandId, string occurredAt, string ttlSeconds)
    {
        var region = Region.Parse(TestRegions.Unique());
        var keys = new LedgerKeys(region);

        var reply = (StackExchange.Redis.RedisResult[])(await LedgerScripts.Append.EvaluateAsync(redis.Connection.GetDatabase(),
            [keys.Stock, keys.Events, keys.Command(Client, CommandId.Parse("k1"))],
            ["set", 5, client, commandId, occurredAt, "fp", ttlSeconds, Quantity.Max]))!;

        Assert.Equal(-4, (long)reply[0]);
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(keys.Stock));
        Assert.Equal(0, await new EventStreamReader(redis.Connection).LengthAsync(region));
    }

    [Fact]
    public async Task GetStock_OfAnUnknownRegion_IsZero() =>
        Assert.Equal(Quantity.Zero, await Ledger.GetStockAsync(Region.Parse(TestRegions.Unique())));
}
