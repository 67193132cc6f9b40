using System.Text.Json;
using Hyperstore.Domain.Events;

namespace Hyperstore.Ledger.ReadModel;

/// <summary>
/// What a batch of stream entries does to a read model, folded in memory so that <c>project.lua</c> works once per batch
/// rather than once per event: the quantity's change, the events and skips to count, each client's totals, and the
/// activity lines that outlive the cap. Folding agrees with <see cref="Domain.StockDecider.Evolve"/>: bought subtracts,
/// restocked adds, set replaces.
/// </summary>
/// <param name="LevelSet">The level of the batch's last <c>StockLevelSet</c>, if it has one: the quantity before it no longer matters.</param>
/// <param name="Change">What the events after that set (or all of them, without one) add to the quantity; negative for sales.</param>
/// <param name="UpdatedAt">When the batch's newest event happened; null when every entry is a skip.</param>
/// <param name="ClientTotals">Per <c>client:bought|restocked|set</c>, the quantities to add, in first-seen order.</param>
/// <param name="Activity">The newest events' activity lines as JSON, oldest first, at most the cap.</param>
public sealed record BatchEffect(
    StreamPosition First,
    StreamPosition Last,
    int Events,
    int Skipped,
    long? LevelSet,
    long Change,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<KeyValuePair<string, long>> ClientTotals,
    IReadOnlyList<string> Activity)
{
    /// <summary>The quantity after the batch, given the quantity before it.</summary>
    public long ApplyTo(long quantity) => (LevelSet ?? quantity) + Change;

    /// <summary>Folds a non-empty batch of consecutive entries; skips (entries without an event) only count.</summary>
    public static BatchEffect Of(IReadOnlyList<ProjectionItem> batch, int activityCap)
    {
        ArgumentOutOfRangeException.ThrowIfZero(batch.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(activityCap, 1);
        var events = batch.Count(item => item.Event is not null);
        var firstWithActivity = events - activityCap;
        long? levelSet = null;
        var change = 0L;
        DateTimeOffset? updatedAt = null;
        var totals = new List<KeyValuePair<(string Client, string Field), long>>();
        var totalIndex = new Dictionary<(string Client, string Field), int>();
        var activity = new List<string>(Math.Min(events, activityCap));
        var eventIndex = 0;
        foreach (var item in batch)
        {
            if (item.Event is not { } e)
            {
                continue;
            }
            var field = e switch
            {
                HyperBought => "bought",
                HyperRestocked => "restocked",
                StockLevelSet => "set",
                _ => throw new ArgumentOutOfRangeException(nameof(batch), e, "Unknown event."),
            };
            if (e is StockLevelSet)
            {
                (levelSet, change) = (e.Quantity.Value, 0);
            }
            else
            {
                change += e is HyperBought ? -e.Quantity.Value : e.Quantity.Value;
            }
            updatedAt = e.OccurredAt;

            var total = (e.Client.Value, field);
            if (totalIndex.TryGetValue(total, out var index))
            {
                totals[index] = new(total, totals[index].Value + e.Quantity.Value);
            }
            else
            {
                totalIndex.Add(total, totals.Count);
                totals.Add(new(total, e.Quantity.Value));
            }

            if (eventIndex++ >= firstWithActivity)
            {
                var position = item.Position.ToString();
                activity.Add(JsonSerializer.Serialize(
                    new ActivityEntry(position, StockEventCodec.TypeName(e), e.Client.Value, e.Quantity.Value, e.LevelAfter.Value, e.OccurredAt),
                    ReadModelJsonContext.Default.ActivityEntry));
            }
        }
        return new BatchEffect(batch[0].Position, batch[^1].Position, events, batch.Count - events, levelSet, change, updatedAt,
            [.. totals.Select(t => new KeyValuePair<string, long>($"{t.Key.Client}:{t.Key.Field}", t.Value))], activity);
    }
}
