using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.Scripts;
using StackExchange.Redis;

namespace Hyperstore.Projector;

/// <summary>
/// Who projects a region: one holder at a time, renewed while it lives, taken over by a standby when it stops renewing.
/// A holder that lost its lease without knowing (a long pause) cannot corrupt the read model: project.lua applies nothing
/// the checkpoint has passed and refuses batches that do not follow it.
/// </summary>
public sealed class ProjectionLease(Region region, IConnectionMultiplexer redis, string holder, TimeSpan duration)
{
    private readonly RedisKey _key = new LedgerKeys(region).ProjectorLease;

    /// <summary>Takes the lease if it is free, or renews it if this replica holds it. True while this replica holds it.</summary>
    public async Task<bool> HoldAsync() =>
        (long)await LedgerScripts.Lease.EvaluateAsync(redis.GetDatabase(), [_key], ["hold", holder, (long)duration.TotalMilliseconds]) == 1;

    public async Task ReleaseAsync() =>
        await LedgerScripts.Lease.EvaluateAsync(redis.GetDatabase(), [_key], ["release", holder, 0]);

    public async Task<string?> HolderAsync() => await redis.GetDatabase().StringGetAsync(_key);
}
