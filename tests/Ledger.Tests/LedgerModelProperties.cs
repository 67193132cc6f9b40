using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hyperstore.Domain;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Testing;
using Xunit;

namespace Hyperstore.Ledger.Tests;

/// <summary>
/// The Lua script and the pure decider are two implementations of one set of rules: for any sequence of commands
/// they must give the same outcomes, the same final stock, and a stream whose replay gives that stock again.
/// </summary>
[Collection(RedisTestCollection.Name)]
public class LedgerModelProperties(RedisFixture redis)
{
    private const int MaxPerOrder = 3;
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private static readonly ClientId[] Clients = [ClientId.Parse("alice"), ClientId.Parse("bob")];

    public sealed record Step(string Kind, long Amount, int IdIndex, int ClientIndex);

    private static Gen<Step> StepGen(int idPool) =>
        from kind in Gen.Frequency((5, Gen.Constant("buy")), (2, Gen.Constant("restock")), (1, Gen.Constant("set")))
        from amount in kind switch
        {
            "buy" => Gen.Choose(1, MaxPerOrder),
            "restock" => Gen.Choose(1, 5),
            _ => Gen.Choose(0, 8),
        }
        from idIndex in Gen.Choose(0, idPool)
        from clientIndex in Gen.Choose(0, Clients.Length - 1)
        select new Step(kind, amount, idIndex, clientIndex);

    private static StockCommand ToCommand(Region region, Step step) => step.Kind switch
    {
        "buy" => BuyHyper.Create(region, step.Amount, Clients[step.ClientIndex], CommandId.Parse($"id{step.IdIndex}"), Now, MaxPerOrder),
        "restock" => RestockHyper.Create(region, step.Amount, Clients[step.ClientIndex], CommandId.Parse($"id{step.IdIndex}"), Now),
        _ => SetStockLevel.Create(region, step.Amount, Clients[step.ClientIndex], CommandId.Parse($"id{step.IdIndex}"), Now),
    };

    [Property(MaxTest = 150)]
    public Property RedisLedger_AgreesWithThePureDecider_OnAnySequenceOfCommands() =>
        Prop.ForAll(
            Gen.Choose(1, 40).SelectMany(idPool => Gen.ListOf(StepGen(idPool))).ToArbitrary(),
            steps => CheckAgainstModel(steps).GetAwaiter().GetResult());

    private async Task<bool> CheckAgainstModel(IEnumerable<Step> steps)
    {
        var region = Region.Parse(TestRegions.Unique());
        var ledger = new RedisLedger(redis.Connection, new LedgerOptions());
        var model = new IdempotentDeciderModel(region);
        var lastPosition = StreamPosition.Start;

        foreach (var step in steps)
        {
            var command = ToCommand(region, step);
            var expected = model.Apply(command);
            var actual = await ledger.AppendAsync(command);

            switch (expected, actual)
            {
                case (ModelOutcome.Applied e, AppendResult.Applied a):
                    Assert.Equal(e.Stock, a.Stock);
                    Assert.Equal(e.IsReplay, a.IsReplay);
                    if (a.IsReplay)
                    {
                        Assert.Equal(model.PositionOf(command), a.Position);
                    }
                    else
                    {
                        Assert.True(a.Position > lastPosition, "positions must grow");
                        lastPosition = a.Position;
                        model.RecordPosition(command, a.Position);
                    }
                    break;
                case (ModelOutcome.Rejected e, AppendResult.Rejected a):
                    Assert.Equal(e.Rejection, a.Rejection);
                    break;
                default:
                    Assert.Fail($"For {command}: model said {expected}, Redis said {actual}.");
                    break;
            }
        }

        Assert.Equal(model.State.Level, await ledger.GetStockAsync(region));
        var replay = await new EventStreamReader(redis.Connection).ReplayAsync(region, pageSize: 7);
        Assert.Equal(model.State, replay.State);
        Assert.Equal(lastPosition, replay.Position);
        return true;
    }
}
