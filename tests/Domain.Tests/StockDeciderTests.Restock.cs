using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Xunit;
using static Hyperstore.Domain.Tests.DeciderTestData;

namespace Hyperstore.Domain.Tests;

public partial class StockDeciderTests
{
    [Fact]
    public void GivenStock_WhenRestocking_ThenHyperRestockedAddsTheQuantity()
    {
        var decision = StockDecider.Decide(Stock(5), RestockHyper.Create(Eu, 10, Client, Id(), Now));

        var restocked = Assert.IsType<HyperRestocked>(Assert.IsType<Decision.Accepted>(decision).Event);
        Assert.Equal((10, 5, 15), (restocked.Quantity.Value, restocked.LevelBefore.Value, restocked.LevelAfter.Value));
    }

    [Fact]
    public void GivenStockNearTheLimit_WhenRestockingPastIt_ThenStockLimitExceeded()
    {
        var decision = StockDecider.Decide(Stock(Quantity.Max - 1), RestockHyper.Create(Eu, 2, Client, Id(), Now));

        Assert.IsType<StockLimitExceeded>(Assert.IsType<Decision.Rejected>(decision).Rejection);
    }

    [Fact]
    public void GivenStockNearTheLimit_WhenRestockingExactlyToIt_ThenAccepted()
    {
        var decision = StockDecider.Decide(Stock(Quantity.Max - 2), RestockHyper.Create(Eu, 2, Client, Id(), Now));

        Assert.Equal(Quantity.Max, Assert.IsType<Decision.Accepted>(decision).Event.LevelAfter.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(Quantity.Max + 1)]
    public void WhenRestockingAnInvalidQuantity_ThenTheCommandCannotBeCreated(long quantity) =>
        Assert.Throws<DomainValidationException>(() => RestockHyper.Create(Eu, quantity, Client, Id(), Now));
}
