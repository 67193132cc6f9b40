using System.Text;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Ledger.Tests;

public class StreamPositionTests
{
    [Theory]
    [InlineData("0-0", 0, 0)]
    [InlineData("1764400000000-12", 1764400000000, 12)]
    [InlineData("1764400000000", 1764400000000, 0)]
    public void Parse_ReadsRedisEntryIds(string text, long ms, long seq)
    {
        Assert.Equal(new StreamPosition(ms, seq), StreamPosition.Parse(text));
        Assert.Equal(new StreamPosition(ms, seq), StreamPosition.Parse((RedisValue)Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("abc")]
    [InlineData("1-x")]
    [InlineData("-1-0")]
    [InlineData("+1-0")]
    [InlineData("1-+0")]
    [InlineData(" 1-0")]
    [InlineData("1-0 ")]
    [InlineData("9223372036854775808-0")]
    [InlineData("1 -0")]
    [InlineData("1-0\n")]
    [InlineData("123456789012345678901-12345678901234567890")]
    public void TryParse_RejectsAnythingElse(string text)
    {
        Assert.False(StreamPosition.TryParse(text, out _));
        Assert.Throws<FormatException>(() => StreamPosition.Parse((RedisValue)Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Positions_OrderByTimeThenSequence()
    {
        Assert.True(StreamPosition.Parse("5-1") > StreamPosition.Parse("5-0"));
        Assert.True(StreamPosition.Parse("6-0") > StreamPosition.Parse("5-99"));
        Assert.True(StreamPosition.AtTime(DateTimeOffset.FromUnixTimeMilliseconds(5)) > StreamPosition.Parse("5-99"));
        Assert.Equal("5-1", StreamPosition.Parse("5-1").ToString());
    }
}
