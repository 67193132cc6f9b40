using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Xunit;
using static Hyperstore.Domain.Tests.DeciderTestData;

namespace Hyperstore.Domain.Tests;

public partial class StockDeciderTests
{
    [Fact]
    public void GivenStock_WhenBuyingOne_ThenHyperBoughtLeavesOneLess()
    {
        var decision = StockDecider.Decide(Stock(5), BuyHyper.Create(Eu, 1, Client, Id(), Now));

        var bought = Assert.IsType<HyperBought>(Assert.IsType<Decision.Accepted>(decision).Event);
        Assert.Equal((1, 5, 4), (bought.Quantity.Value, bought.LevelBefore.Value, bought.LevelAfter.Value));
        Assert.Equal((Eu, Client, Id(), Now), (bought.Region, bought.Client, bought.CommandId, bought.OccurredAt));
        Assert.Equal(StockEvent.CurrentSchemaVersion, bought.SchemaVersion);
    }

    [Fact]
    public void GivenExactlyEnoughStock_WhenBuyingAll_ThenStockIsZero()
    {
        var decision = StockDecider.Decide(Stock(3), BuyHyper.Create(Eu, 3, Client, Id(), Now, maxPerOrder: 3));

        Assert.Equal(0, Assert.IsType<Decision.Accepted>(decision).Event.LevelAfter.Value);
    }

    [Fact]
    public void GivenNoStock_WhenBuying_ThenSoldOut()
    {
        var decision = StockDecider.Decide(Stock(0), BuyHyper.Create(Eu, 1, Client, Id(), Now));

        var soldOut = Assert.IsType<SoldOut>(Assert.IsType<Decision.Rejected>(decision).Rejection);
        Assert.Equal((1, 0), (soldOut.Requested.Value, soldOut.Available.Value));
        Assert.Contains("Sold out", soldOut.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTwoLeft_WhenBuyingThree_ThenSoldOutAndNothingChanges()
    {
        var decision = StockDecider.Decide(Stock(2), BuyHyper.Create(Eu, 3, Client, Id(), Now, maxPerOrder: 10));

        Assert.IsType<SoldOut>(Assert.IsType<Decision.Rejected>(decision).Rejection);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void WhenBuyingLessThanOne_ThenTheCommandCannotBeCreated(long quantity) =>
        Assert.Throws<DomainValidationException>(() => BuyHyper.Create(Eu, quantity, Client, Id(), Now));

    [Fact]
    public void WhenBuyingMoreThanThePerOrderCap_ThenTheCommandCannotBeCreated()
    {
        var error = Assert.Throws<DomainValidationException>(() => BuyHyper.Create(Eu, 2, Client, Id(), Now));
        Assert.Contains("at most 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAnotherRegionsState_WhenDeciding_ThenItIsAProgrammingError() =>
        Assert.Throws<ArgumentException>(() =>
            StockDecider.Decide(StockState.Initial(Region.Parse("na")), BuyHyper.Create(Eu, 1, Client, Id(), Now)));
}
