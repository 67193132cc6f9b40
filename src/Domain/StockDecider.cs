using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;

namespace Hyperstore.Domain;

/// <summary>
/// The ledger's rules as pure functions. The Lua script that appends events in Redis
/// (<c>src/Ledger/Scripts/append.lua</c>) implements the same rules; tests hold the two against each other.
/// </summary>
public static class StockDecider
{
    public static Decision Decide(StockState state, StockCommand command)
    {
        if (command.Region != state.Region)
        {
            throw new ArgumentException($"Command for region '{command.Region}' given the state of '{state.Region}'.", nameof(command));
        }

        return command switch
        {
            BuyHyper buy when buy.Quantity > state.Level =>
                new Decision.Rejected(new SoldOut(buy.Quantity, state.Level)),
            BuyHyper buy =>
                Accept(new HyperBought(buy.Region, buy.Quantity, state.Level, Quantity.Of(state.Level.Value - buy.Quantity.Value),
                    buy.Client, buy.Id, buy.Now)),

            RestockHyper restock when state.Level.Value + restock.Quantity.Value > Quantity.Max =>
                new Decision.Rejected(new StockLimitExceeded(state.Level, restock.Quantity)),
            RestockHyper restock =>
                Accept(new HyperRestocked(restock.Region, restock.Quantity, state.Level, Quantity.Of(state.Level.Value + restock.Quantity.Value),
                    restock.Client, restock.Id, restock.Now)),

            SetStockLevel set =>
                Accept(new StockLevelSet(set.Region, set.Level, state.Level, set.Level, set.Client, set.Id, set.Now)),

            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
        };

        static Decision.Accepted Accept(StockEvent stockEvent) => new(stockEvent);
    }

    /// <summary>
    /// Applies an event. The level is recomputed from the event's kind and quantity rather than copied from
    /// <see cref="StockEvent.LevelAfter"/>, so that a replay checks the recorded levels instead of trusting them.
    /// </summary>
    public static StockState Evolve(StockState state, StockEvent stockEvent)
    {
        var level = stockEvent switch
        {
            HyperBought bought => state.Level.Value - bought.Quantity.Value,
            HyperRestocked restocked => state.Level.Value + restocked.Quantity.Value,
            StockLevelSet set => set.Quantity.Value,
            _ => throw new ArgumentOutOfRangeException(nameof(stockEvent), stockEvent, "Unknown event."),
        };
        if (level < 0 || level > Quantity.Max)
        {
            throw new InvalidOperationException(
                $"Event {stockEvent.CommandId} takes the stock of '{state.Region}' from {state.Level} to {level}, outside 0..{Quantity.Max}.");
        }
        return state with { Level = Quantity.Of(level), EventCount = state.EventCount + 1 };
    }

    /// <summary>Folds events onto a state: the replay that audits and rebuilds use.</summary>
    public static StockState Fold(StockState state, IEnumerable<StockEvent> events) =>
        events.Aggregate(state, Evolve);
}
