using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Ledger.Tests;

public class StockEventCodecTests
{
    private static readonly Region Eu = Region.Parse("eu");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_123);

    public static TheoryData<StockEvent> Events() =>
    [
        new HyperBought(Eu, Quantity.Of(2), Quantity.Of(10), Quantity.Of(8), ClientId.Parse("shop.eu_1"), CommandId.Parse("order:42-a"), At),
        new HyperRestocked(Eu, Quantity.Of(5), Quantity.Of(8), Quantity.Of(13), ClientId.Parse("ops"), CommandId.Parse("r1"), At),
        new StockLevelSet(Eu, Quantity.Of(Quantity.Max), Quantity.Zero, Quantity.Of(Quantity.Max), ClientId.Parse("ops"), CommandId.Parse("s1"), At),
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void Encode_ThenDecode_GivesTheSameEvent(StockEvent stockEvent)
    {
        var entry = new StreamEntry("1-0", StockEventCodec.Encode(stockEvent));

        Assert.Equal(stockEvent, StockEventCodec.Decode(Eu, entry));
    }

    [Fact]
    public void Encode_PacksOneFieldInTheDocumentedOrder()
    {
        var entry = Assert.Single(StockEventCodec.Encode(
            new HyperBought(Eu, Quantity.Of(2), Quantity.Of(10), Quantity.Of(8), ClientId.Parse("shop"), CommandId.Parse("k1"), At)));

        Assert.Equal(("event", "2|HyperBought|2|10|8|shop|k1|1796000000123"), ((string?)entry.Name, (string?)entry.Value));
    }

    [Fact]
    public void Decode_OfAVersion1Entry_GivesTheEventItRecorded()
    {
        var entry = new StreamEntry("1-0",
        [
            new("type", "HyperBought"), new("v", "1"), new("qty", "2"), new("before", "10"), new("after", "8"),
            new("client", "shop"), new("cmd", "k1"), new("at", "1796000000123"),
        ]);

        var expected = new HyperBought(Eu, Quantity.Of(2), Quantity.Of(10), Quantity.Of(8), ClientId.Parse("shop"), CommandId.Parse("k1"), At)
        {
            SchemaVersion = 1,
        };
        Assert.Equal(expected, StockEventCodec.Decode(Eu, entry));
    }

    [Fact]
    public void Decode_OfAPackedFieldBesideOthers_SaysSo()
    {
        var error = Assert.Throws<UndecodableEventException>(() => StockEventCodec.Decode(Eu,
            new StreamEntry("7-1", [new("event", "2|HyperBought|1|5|4|shop|k1|1"), new("note", "x")])));

        Assert.Contains("one field 'event'", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "parts")]
    [InlineData("2|HyperBought|1|5|4|shop|k1", "7 parts")]
    [InlineData("2|HyperBought|1|5|4|shop|k1|1|extra", "more than 8 parts")]
    [InlineData("3|HyperBought|1|5|4|shop|k1|1", "schema version '3'")]
    [InlineData("x|HyperBought|1|5|4|shop|k1|1", "schema version 'x'")]
    [InlineData("2|HyperSold|1|5|4|shop|k1|1", "unknown event type 'HyperSold'")]
    [InlineData("2|HyperBought|one|5|4|shop|k1|1", "not an integer")]
    [InlineData("2|HyperBought|1|5|4|shop|k1|", "not an integer")]
    [InlineData("2|HyperBought|1|5|4|shop|k1|1x", "not an integer")]
    [InlineData("2|HyperBought| 1|5|4|shop|k1|1", "not an integer")]
    [InlineData("2|HyperBought|1|5|99999999999999999999|shop|k1|1", "not an integer")]
    [InlineData("2|HyperBought|-1|5|4|shop|k1|1", "Quantity")]
    [InlineData("2|HyperBought|1|5|4||k1|1", "Client id")]
    [InlineData("2|HyperBought|1|5|4|shop|bad key|1", "Idempotency key")]
    [InlineData("2|HyperBought|1|5|4|shop|k1|999999999999999999", "out of range")]
    public void Decode_OfAMalformedPackedEvent_SaysWhichEntryAndWhy(string packed, string reason)
    {
        var error = Assert.Throws<UndecodableEventException>(() =>
            StockEventCodec.Decode(Eu, new StreamEntry("7-1", [new("event", packed)])));

        Assert.Equal("7-1", error.EntryId);
        Assert.Contains(reason, error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("2|HyperBought|1|5|4|shop|k1|1", 1, 5, 4, 1)]
    [InlineData("2|HyperBought|+1|005|04|shop|k1|+0", 1, 5, 4, 0)]
    [InlineData("2|HyperBought|1|1000000000|999999999|shop|k1|-1", 1, 1_000_000_000, 999_999_999, -1)]
    public void Decode_OfNumbersWithASignOrLeadingZeros_ReadsThem(string packed, long quantity, long before, long after, long atMs)
    {
        var decoded = StockEventCodec.Decode(Eu, new StreamEntry("7-1", [new("event", packed)]));

        Assert.Equal((quantity, before, after, atMs),
            (decoded.Quantity.Value, decoded.LevelBefore.Value, decoded.LevelAfter.Value, decoded.OccurredAt.ToUnixTimeMilliseconds()));
    }
}
