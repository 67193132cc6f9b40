using System.Text.Json;
using Hyperstore.Domain.Events;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger.Scripts;
using StackExchange.Redis;

namespace Hyperstore.Ledger.ReadModel;

/// <summary>One stream entry for the projection: an event to apply, or (<see cref="Event"/> null) a dead-lettered entry to step over.</summary>
public sealed record ProjectionItem(StreamPosition Position, StockEvent? Event);

/// <summary>What <c>project.lua</c> did. <see cref="Gap"/>: the batch did not follow the checkpoint and nothing was applied.</summary>
public sealed record ProjectionResult(bool Gap, StreamPosition Checkpoint, long Quantity, int Applied);

/// <summary>
/// Applies events to a copy of the read model with <c>project.lua</c>: apply and checkpoint in one atomic step, skipping
/// what the checkpoint has already passed, so at-least-once delivery has an exactly-once effect.
/// </summary>
public sealed class ReadModelProjection(IConnectionMultiplexer redis)
{
    public const int DefaultActivityCap = 100;

    public async Task<ProjectionResult> ApplyAsync(Region region, ReadModelKeys target, IReadOnlyList<ProjectionItem> batch,
        int activityCap = DefaultActivityCap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(activityCap, 1);
        // The script keeps only the newest activityCap entries: older events of a larger batch need no JSON.
        var eventsLeft = batch.Count(item => item.Event is not null);
        var values = new RedisValue[3 + batch.Count * 6];
        values[0] = activityCap;
        values[1] = batch.Count;
        values[2] = target.Changes ?? string.Empty;
        var i = 3;
        foreach (var item in batch)
        {
            values[i++] = item.Position.ToString();
            if (item.Event is { } e)
            {
                values[i++] = StockEventCodec.TypeName(e);
                values[i++] = e.Quantity.Value;
                values[i++] = e.Client.Value;
                values[i++] = e.OccurredAt.ToUnixTimeMilliseconds();
                values[i++] = eventsLeft-- > activityCap
                    ? string.Empty
                    : JsonSerializer.Serialize(new ActivityEntry(item.Position.ToString(), StockEventCodec.TypeName(e),
                        e.Client.Value, e.Quantity.Value, e.LevelAfter.Value, e.OccurredAt));
            }
            else
            {
                values[i++] = "skip";
                values[i++] = 0;
                values[i++] = string.Empty;
                values[i++] = 0;
                values[i++] = string.Empty;
            }
        }

        var reply = (RedisResult[])(await LedgerScripts.Project.EvaluateAsync(redis.GetDatabase(),
            [target.Stock, target.Activity, target.ClientTotals, new LedgerKeys(region).Events], values))!;
        return new ProjectionResult((long)reply[0] < 0, StreamPosition.Parse((string?)reply[1]), (long)reply[2], (int)(long)reply[3]);
    }

    /// <summary>Switches the model rebuilt aside in for the live one; false if the rebuilt one is behind (nothing changed).</summary>
    public async Task<bool> SwitchInRebuildAsync(Region region)
    {
        var keys = new LedgerKeys(region);
        var reply = (RedisResult[])(await LedgerScripts.SwitchReadModel.EvaluateAsync(redis.GetDatabase(),
        [
            keys.ReadModel.Stock, keys.ReadModel.Activity, keys.ReadModel.ClientTotals,
            keys.ReadModelRebuild.Stock, keys.ReadModelRebuild.Activity, keys.ReadModelRebuild.ClientTotals,
        ], [keys.ReadModel.Changes]))!;
        return (long)reply[0] == 1;
    }

    /// <summary>Deletes a copy of the read model (used to start a rebuild from nothing).</summary>
    public Task ClearAsync(ReadModelKeys target) =>
        redis.GetDatabase().KeyDeleteAsync([target.Stock, target.Activity, target.ClientTotals]);

    public async Task<StreamPosition> CheckpointAsync(ReadModelKeys target)
    {
        var position = await redis.GetDatabase().HashGetAsync(target.Stock, "position");
        return position.IsNull ? StreamPosition.Start : StreamPosition.Parse(position);
    }
}
