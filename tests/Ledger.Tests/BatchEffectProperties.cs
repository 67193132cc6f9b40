using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Hyperstore.Domain;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger.ReadModel;
using Xunit;

namespace Hyperstore.Ledger.Tests;

/// <summary>
/// A batch folded once (what project.lua applies) must do what applying its events one by one with the decider's
/// Evolve does, and count and log them as one by one would.
/// </summary>
public class BatchEffectProperties
{
    private static readonly Region Region = Region.Parse("eu");
    private static readonly ClientId[] Clients = [ClientId.Parse("alice"), ClientId.Parse("bob"), ClientId.Parse("ops")];
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Kind 0-4 buy, 5-7 restock, 8 set, 9 a skipped (dead-lettered) entry.</summary>
    public sealed record Step(int Kind, int Amount, int ClientIndex);

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Choose(0, 9)
        from amount in Gen.Choose(1, 6)
        from client in Gen.Choose(0, Clients.Length - 1)
        select new Step(kind, amount, client);

    [Property(MaxTest = 300)]
    public Property Folded_AgreesWithEvolvingEventByEvent() =>
        Prop.ForAll(
            Gen.Choose(0, 20).ToArbitrary(),
            Gen.NonEmptyListOf(StepGen).ToArbitrary(),
            Gen.Choose(1, 8).ToArbitrary(),
            (startLevel, steps, cap) => Check(startLevel, steps, cap));

    private static bool Check(int startLevel, IReadOnlyList<Step> steps, int cap)
    {
        var start = new StockState(Region, Quantity.Of(startLevel), 0);
        var (batch, state) = Batch(start, steps);
        var events = batch.Where(item => item.Event is not null).ToList();

        var effect = BatchEffect.Of(batch, cap);

        Assert.Equal(state.Level.Value, effect.ApplyTo(startLevel));
        Assert.Equal((events.Count, batch.Count - events.Count), (effect.Events, effect.Skipped));
        Assert.Equal((batch[0].Position, batch[^1].Position), (effect.First, effect.Last));
        Assert.Equal(events.LastOrDefault()?.Event!.OccurredAt, effect.UpdatedAt);
        var totals = events.GroupBy(item => $"{item.Event!.Client.Value}:{Field(item.Event)}")
            .ToDictionary(g => g.Key, g => g.Sum(item => item.Event!.Quantity.Value));
        Assert.Equal(totals, effect.ClientTotals.ToDictionary(t => t.Key, t => t.Value));
        var logged = effect.Activity.Select(line => JsonSerializer.Deserialize<ActivityEntry>(line)!).ToList();
        Assert.Equal(events.TakeLast(cap).Select(item => (item.Position.ToString(), item.Event!.LevelAfter.Value)),
            logged.Select(entry => (entry.Position, entry.Stock)));
        return true;
    }

    /// <summary>Decides each step from the state the ones before it left (rejected ones leave nothing), as the ledger would.</summary>
    private static (List<ProjectionItem> Batch, StockState State) Batch(StockState state, IReadOnlyList<Step> steps)
    {
        var batch = new List<ProjectionItem>();
        for (var i = 0; i < steps.Count; i++)
        {
            var (kind, amount, clientIndex) = steps[i];
            var position = new StreamPosition(1_764_493_200_000 + i / 3, i % 3);
            if (kind == 9)
            {
                batch.Add(new ProjectionItem(position, null));
                continue;
            }
            var client = Clients[clientIndex];
            var at = Start.AddMilliseconds(i);
            StockCommand command = kind switch
            {
                < 5 => BuyHyper.Create(Region, amount, client, CommandId.New(), at, maxPerOrder: 6),
                < 8 => RestockHyper.Create(Region, amount, client, CommandId.New(), at),
                _ => SetStockLevel.Create(Region, amount * 3, client, CommandId.New(), at),
            };
            if (StockDecider.Decide(state, command) is Decision.Accepted { Event: var e })
            {
                batch.Add(new ProjectionItem(position, e));
                state = StockDecider.Evolve(state, e);
            }
        }
        return batch.Count == 0 ? Batch(state, [new Step(5, 1, 0)]) : (batch, state);
    }

    private static string Field(StockEvent e) => e switch
    {
        HyperBought => "bought",
        HyperRestocked => "restocked",
        _ => "set",
    };

    [Fact]
    public void Of_AnEmptyBatch_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchEffect.Of([], 10));
}
