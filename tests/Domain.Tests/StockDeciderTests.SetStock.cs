using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Xunit;
using static Hyperstore.Domain.Tests.DeciderTestData;

namespace Hyperstore.Domain.Tests;

public partial class StockDeciderTests
{
    [Theory]
    [InlineData(7, 500)]
    [InlineData(500, 0)]
    [InlineData(0, 0)]
    public void GivenAnyStock_WhenSettingALevel_ThenStockLevelSetRecordsBeforeAndAfter(long before, long level)
    {
        var decision = StockDecider.Decide(Stock(before), SetStockLevel.Create(Eu, level, Client, Id(), Now));

        var set = Assert.IsType<StockLevelSet>(Assert.IsType<Decision.Accepted>(decision).Event);
        Assert.Equal((level, before, level), (set.Quantity.Value, set.LevelBefore.Value, set.LevelAfter.Value));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Quantity.Max + 1)]
    public void WhenSettingAnInvalidLevel_ThenTheCommandCannotBeCreated(long level) =>
        Assert.Throws<DomainValidationException>(() => SetStockLevel.Create(Eu, level, Client, Id(), Now));

    [Fact]
    public void CommandsOfDifferentKindOrAmount_HaveDifferentFingerprints()
    {
        var fingerprints = new[]
        {
            BuyHyper.Create(Eu, 1, Client, Id(), Now).Fingerprint,
            BuyHyper.Create(Eu, 2, Client, Id(), Now, maxPerOrder: 2).Fingerprint,
            RestockHyper.Create(Eu, 1, Client, Id(), Now).Fingerprint,
            SetStockLevel.Create(Eu, 1, Client, Id(), Now).Fingerprint,
        };
        Assert.Equal(fingerprints.Length, fingerprints.Distinct().Count());
        Assert.Equal(BuyHyper.Create(Eu, 1, Client, Id(), Now).Fingerprint,
            BuyHyper.Create(Eu, 1, Client, Id(), Now.AddMinutes(1)).Fingerprint);
    }
}
