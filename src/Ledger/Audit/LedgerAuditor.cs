using System.Globalization;
using Hyperstore.Domain;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger.ReadModel;
using StackExchange.Redis;

namespace Hyperstore.Ledger.Audit;

/// <summary>The stock of a region as of a point, rebuilt by replay.</summary>
public sealed record StockAsOf(string Region, long Quantity, StreamPosition Position, long Events, bool FromSnapshot);

/// <summary>What <see cref="LedgerAuditor.VerifyAsync"/> found.</summary>
public sealed record LedgerVerification(
    string Region, bool Consistent, long WriteStock, long ReplayStock, long ReadModelStock,
    StreamPosition StreamHead, StreamPosition ReadModelPosition, long EventsBehind, long Events, IReadOnlyList<string> Differences);

/// <summary>Rebuilds past states by replay and checks that replay, write side and read model agree.</summary>
public sealed class LedgerAuditor(IConnectionMultiplexer redis, EventStreamReader reader, ReadModelReader readModel, Snapshots snapshots)
{
    private const int MaxDifferences = 20;

    public async Task<StockAsOf> StockAsOfAsync(Region region, StreamPosition? upTo, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.LoadAsync(region);
        var usable = snapshot is not null && (upTo is null || snapshot.Position <= upTo.Value) ? snapshot : null;
        var replay = await reader.ReplayAsync(region, upTo, usable, cancellationToken: cancellationToken);
        return new StockAsOf(region.Value, replay.State.Level.Value, replay.Position, replay.State.EventCount, usable is not null);
    }

    /// <summary>
    /// Reads the read model first, then the write-side stock and the stream head together (one transaction), then replays
    /// the whole stream once up to that head: the read model must equal the replay at its own position, the write side the
    /// replay at the head. Writes that arrive meanwhile do not make it report a false difference.
    /// </summary>
    public async Task<LedgerVerification> VerifyAsync(Region region, CancellationToken cancellationToken)
    {
        var view = await readModel.GetStockAsync(region);

        var keys = new LedgerKeys(region);
        var transaction = redis.GetDatabase().CreateTransaction();
        var stockTask = transaction.StringGetAsync(keys.Stock);
        var headTask = transaction.StreamRangeAsync(keys.Events, "-", "+", 1, Order.Descending);
        await transaction.ExecuteAsync();
        var writeStock = (await stockTask).IsNull ? 0 : (long)await stockTask;
        var headEntries = await headTask;
        var head = headEntries.Length == 0 ? StreamPosition.Start : StreamPosition.Parse(headEntries[0].Id);

        var differences = new List<string>();
        var state = StockState.Initial(region);
        var atReadModel = view.Position == StreamPosition.Start ? state : null;
        // An entry that is not an event (dead-lettered by the projector, which stepped over it) is a difference, and is
        // stepped over here too, so that what follows it is still compared.
        void Unreadable(UndecodableEventException e)
        {
            if (differences.Count < MaxDifferences)
            {
                differences.Add(e.Message);
            }
            if (StreamPosition.Parse(e.EntryId) <= view.Position)
            {
                atReadModel = state; // the read model's checkpoint can be on the entry it stepped over
            }
        }
        await foreach (var recorded in reader.ReadAsync(region, StreamPosition.Start, head, onUndecodable: Unreadable,
                           cancellationToken: cancellationToken))
        {
            if (recorded.Event.LevelBefore != state.Level && differences.Count < MaxDifferences)
            {
                differences.Add(Invariant($"event {recorded.Position} records level before {recorded.Event.LevelBefore}, replay had {state.Level}"));
            }
            try
            {
                state = StockDecider.Evolve(state, recorded.Event);
            }
            catch (InvalidOperationException e)
            {
                differences.Add(e.Message);
                break;
            }
            if (recorded.Event.LevelAfter != state.Level && differences.Count < MaxDifferences)
            {
                differences.Add(Invariant($"event {recorded.Position} records level after {recorded.Event.LevelAfter}, replay computes {state.Level}"));
            }
            if (recorded.Position <= view.Position)
            {
                atReadModel = state;
            }
        }

        if (state.Level.Value != writeStock)
        {
            differences.Add(Invariant($"write-side stock is {writeStock}, replay up to {head} gives {state.Level}"));
        }
        if (view.Position > head)
        {
            differences.Add(Invariant($"read model is at {view.Position}, past the stream head {head}"));
        }
        else if (atReadModel is null || atReadModel.Level.Value != view.Quantity || atReadModel.EventCount != view.EventCount)
        {
            differences.Add(Invariant(
                $"read model shows {view.Quantity} after {view.EventCount} events at {view.Position}; replay there gives {atReadModel?.Level.Value} after {atReadModel?.EventCount} events"));
        }

        return new LedgerVerification(region.Value, differences.Count == 0, writeStock, state.Level.Value, view.Quantity, head, view.Position,
            state.EventCount - (atReadModel?.EventCount ?? 0), state.EventCount, differences);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
