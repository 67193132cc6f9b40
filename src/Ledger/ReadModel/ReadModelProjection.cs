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
/// what the checkpoint has already passed, so at-least-once delivery has an exactly-once effect. The batch is folded here
/// (<see cref="BatchEffect"/>), so Redis does the same few writes whatever the batch's size.
/// </summary>
public sealed class ReadModelProjection(IConnectionMultiplexer redis)
{
    public const int DefaultActivityCap = 100;

    // Status codes returned by project.lua (see its header).
    private const long Applied = 1;
    private const long Gap = -1;
    private const long Overlaps = -2;

    /// <summary>
    /// Applies a non-empty batch of consecutive stream entries, in stream order (as one read returns them). Entries at or
    /// before the checkpoint are skipped; a batch that does not continue the stream where the checkpoint stands is a gap.
    /// Only the batch's two ends are checked against the stream: a hole in its middle is not detected here.
    /// </summary>
    public async Task<ProjectionResult> ApplyAsync(Region region, ReadModelKeys target, IReadOnlyList<ProjectionItem> batch,
        int activityCap = DefaultActivityCap)
    {
        var (status, result) = await ApplyEffectAsync(region, target, BatchEffect.Of(batch, activityCap), activityCap);
        if (status == Overlaps)
        {
            // Read before the checkpoint last moved (a replica that lost its lease, a retry): apply only what follows it.
            var rest = batch.Where(item => item.Position > result.Checkpoint).ToList();
            (status, result) = await ApplyEffectAsync(region, target, BatchEffect.Of(rest, activityCap), activityCap);
        }
        // Overlapping again: the checkpoint moved once more meanwhile, and the caller reads from it, as after a gap.
        return status == Applied ? result : result with { Gap = true };
    }

    private async Task<(long Status, ProjectionResult Result)> ApplyEffectAsync(Region region, ReadModelKeys target,
        BatchEffect effect, int activityCap)
    {
        var values = new RedisValue[10 + effect.ClientTotals.Count * 2 + effect.Activity.Count];
        values[0] = activityCap;
        values[1] = target.Changes ?? string.Empty;
        values[2] = effect.First.ToString();
        values[3] = effect.Last.ToString();
        values[4] = effect.Events;
        values[5] = effect.Skipped;
        values[6] = effect.LevelSet is { } level ? level : string.Empty;
        values[7] = effect.Change;
        values[8] = effect.UpdatedAt is { } at ? at.ToUnixTimeMilliseconds() : string.Empty;
        values[9] = effect.ClientTotals.Count;
        var i = 10;
        foreach (var (field, amount) in effect.ClientTotals)
        {
            values[i++] = field;
            values[i++] = amount;
        }
        foreach (var line in effect.Activity)
        {
            values[i++] = line;
        }

        var reply = (RedisResult[])(await LedgerScripts.Project.EvaluateAsync(redis.GetDatabase(),
            [target.Stock, target.Activity, target.ClientTotals, new LedgerKeys(region).Events], values))!;
        var status = (long)reply[0];
        if (status is not (Applied or Gap or Overlaps))
        {
            throw new InvalidOperationException($"project.lua returned unknown status {status}.");
        }
        return (status, new ProjectionResult(status == Gap, StreamPosition.Parse((string?)reply[1]), (long)reply[2], (int)(long)reply[3]));
    }

    /// <summary>
    /// Switches the model rebuilt aside in for the live one, if it is not behind it and, when <paramref name="leaseHolder"/>
    /// is given, if that replica holds the region's lease. Nothing changes otherwise.
    /// </summary>
    public async Task<RebuildSwitch> SwitchInRebuildAsync(Region region, string? leaseHolder = null)
    {
        var keys = new LedgerKeys(region);
        var reply = (RedisResult[])(await LedgerScripts.SwitchReadModel.EvaluateAsync(redis.GetDatabase(),
        [
            keys.ReadModel.Stock, keys.ReadModel.Activity, keys.ReadModel.ClientTotals,
            keys.ReadModelRebuild.Stock, keys.ReadModelRebuild.Activity, keys.ReadModelRebuild.ClientTotals,
            keys.ProjectorLease,
        ], [keys.ReadModel.Changes, leaseHolder ?? string.Empty]))!;
        return (long)reply[0] switch
        {
            1 => RebuildSwitch.Switched,
            -1 => RebuildSwitch.Behind,
            -2 => RebuildSwitch.NotLeaseHolder,
            var status => throw new InvalidOperationException($"switch_read_model.lua returned unknown status {status}."),
        };
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

/// <summary>What <see cref="ReadModelProjection.SwitchInRebuildAsync"/> did.</summary>
public enum RebuildSwitch
{
    Switched,

    /// <summary>The rebuilt model is behind the live one.</summary>
    Behind,

    /// <summary>The caller no longer holds the region's lease.</summary>
    NotLeaseHolder,
}
