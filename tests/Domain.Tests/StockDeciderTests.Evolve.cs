using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Xunit;
using static Hyperstore.Domain.Tests.DeciderTestData;

namespace Hyperstore.Domain.Tests;

public partial class StockDeciderTests
{
    [Fact]
    public void GivenAHistory_WhenFolding_ThenLevelAndCountFollowTheEvents()
    {
        var state = StockState.Initial(Eu);
        var events = new List<StockEvent>();
        foreach (var command in new StockCommand[]
                 {
                     SetStockLevel.Create(Eu, 3, Client, Id("a"), Now),
                     BuyHyper.Create(Eu, 1, Client, Id("b"), Now),
                     RestockHyper.Create(Eu, 4, Client, Id("c"), Now),
                 })
        {
            var stockEvent = Assert.IsType<Decision.Accepted>(StockDecider.Decide(state, command)).Event;
            events.Add(stockEvent);
            state = StockDecider.Evolve(state, stockEvent);
        }

        Assert.Equal(StockState.Initial(Eu) with { Level = Quantity.Of(6), EventCount = 3 },
            StockDecider.Fold(StockState.Initial(Eu), events));
        Assert.Equal(state, StockDecider.Fold(StockState.Initial(Eu), events));
    }

    [Fact]
    public void GivenNoStock_WhenEvolvingWithABuy_ThenTheCorruptHistoryIsReported()
    {
        var impossible = new HyperBought(Eu, Quantity.Of(1), Quantity.Of(1), Quantity.Zero, Client, Id(), Now);

        Assert.Throws<InvalidOperationException>(() => StockDecider.Evolve(StockState.Initial(Eu), impossible));
    }

    [Property(MaxTest = 200)]
    public Property AcceptedEvents_AlwaysMoveTheStateToTheirRecordedLevel_AndNeverBelowZero() =>
        Prop.ForAll(
            Gen.Choose(0, 1000).ToArbitrary(),
            Gen.ListOf(Gen.Elements("buy", "restock", "set").Zip(Gen.Choose(1, 600))).ToArbitrary(),
            (start, steps) =>
            {
                var state = Stock(start);
                var n = 0;
                foreach (var (kind, amount) in steps)
                {
                    var id = Id($"c{n++}");
                    StockCommand command = kind switch
                    {
                        "buy" => BuyHyper.Create(Eu, amount, Client, id, Now, maxPerOrder: 600),
                        "restock" => RestockHyper.Create(Eu, amount, Client, id, Now),
                        _ => SetStockLevel.Create(Eu, amount, Client, id, Now),
                    };
                    if (StockDecider.Decide(state, command) is Decision.Accepted accepted)
                    {
                        Assert.Equal(state.Level, accepted.Event.LevelBefore);
                        state = StockDecider.Evolve(state, accepted.Event);
                        Assert.Equal(accepted.Event.LevelAfter, state.Level);
                    }
                    Assert.True(state.Level.Value >= 0);
                }
            });
}
