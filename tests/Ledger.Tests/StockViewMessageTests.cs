using Hyperstore.Domain.Values;
using Hyperstore.Ledger.ReadModel;
using Xunit;

namespace Hyperstore.Ledger.Tests;

public class StockViewMessageTests
{
    private static readonly Region Eu = Region.Parse("eu");

    [Fact]
    public void Format_ThenTryParse_GivesTheSameView()
    {
        var view = new StockView("eu", 42, StreamPosition.Parse("1764400000000-3"), DateTimeOffset.FromUnixTimeMilliseconds(1764400000001), 7);
        var empty = new StockView("eu", 0, StreamPosition.Start, null, 0);

        Assert.Equal("1|1764400000000-3|42|1764400000001|7", StockViewMessage.Format(view));
        Assert.True(StockViewMessage.TryParse(Eu, StockViewMessage.Format(view), out var parsed));
        Assert.True(StockViewMessage.TryParse(Eu, StockViewMessage.Format(empty), out var parsedEmpty));
        Assert.Equal((view, empty), (parsed, parsedEmpty));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2|1-0|1||1")]
    [InlineData("1|1-0|1|")]
    [InlineData("1|1-0|1||1|extra")]
    [InlineData("1|x|1||1")]
    [InlineData("1|1-0|one||1")]
    [InlineData("1|1-0|1|-5|1")]
    [InlineData("1|1-0|1|99999999999999999|1")]
    [InlineData("1|1-0|1||-1")]
    public void TryParse_AnythingElse_IsRefused(string message) =>
        Assert.False(StockViewMessage.TryParse(Eu, message, out _));
}
