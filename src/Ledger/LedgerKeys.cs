using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger;

/// <summary>
/// Every Redis key of one region. All share the hash tag <c>{hyper:&lt;region&gt;}</c>, so that a region lives in
/// one Redis Cluster slot and every multi-key script stays legal there. <c>docs/redis-keys.md</c> documents each key.
/// </summary>
public sealed class LedgerKeys(Region region)
{
    private readonly string _prefix = $"{{hyper:{region.Value}}}:";

    public Region Region { get; } = region;

    /// <summary>Write-side stock level (string holding an integer).</summary>
    public RedisKey Stock => _prefix + "stock";

    /// <summary>The ledger: one stream entry per accepted command.</summary>
    public RedisKey Events => _prefix + "events";

    /// <summary>Idempotency record of one client's command id (string <c>after|entry id|fingerprint</c>, expires).</summary>
    public RedisKey Command(ClientId client, CommandId id) => $"{_prefix}cmd:{client.Value}:{id.Value}";

    /// <summary>Events the projector could not apply, with the reason (stream).</summary>
    public RedisKey DeadLetters => _prefix + "deadletter";

    /// <summary>Set: the ids of the entries that have a dead letter, written with the letter.</summary>
    public RedisKey DeadLetteredEntries => _prefix + "deadletter:entries";

    /// <summary>Latest snapshot of the replayed state with its stream position (hash).</summary>
    public RedisKey Snapshot => _prefix + "snapshot";

    /// <summary>Which projector replica currently projects this region (string with expiry).</summary>
    public RedisKey ProjectorLease => _prefix + "projector:lease";

    /// <summary>A request to rebuild the read model, set by the <c>rebuild</c> command, taken by the active projector (string).</summary>
    public RedisKey RebuildRequest => _prefix + "projector:rebuild";

    /// <summary>The outcome of the last rebuild: position, events, duration, time (hash).</summary>
    public RedisKey RebuildResult => _prefix + "projector:rebuilt";

    /// <summary>The read model that the API serves; its changes are published on <see cref="ReadModelKeys.Changes"/>.</summary>
    public ReadModelKeys ReadModel => new(_prefix + "view:", _prefix + "view:changes");

    /// <summary>Where a rebuild writes a new read model before it is switched in atomically (unpublished).</summary>
    public ReadModelKeys ReadModelRebuild => new(_prefix + "rebuild:", Changes: null);
}

/// <summary>The keys of one copy of a region's read model (the live one, or one being rebuilt aside).</summary>
/// <param name="Changes">The pub/sub channel on which each new stock view of this copy is published (<see cref="ReadModel.StockViewMessage"/>); null for none.</param>
public sealed record ReadModelKeys(string Prefix, string? Changes)
{
    /// <summary>Projected stock, position and time of the last applied event, event count (hash).</summary>
    public RedisKey Stock => Prefix + "stock";

    /// <summary>Recent activity, newest first, capped (list of JSON).</summary>
    public RedisKey Activity => Prefix + "activity";

    /// <summary>Per-client totals: bought, restocked, set (hash, field = client:kind).</summary>
    public RedisKey ClientTotals => Prefix + "clients";
}
