using System.Diagnostics;
using System.Globalization;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using StackExchange.Redis;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Projector;

/// <summary>
/// Projects one region while this replica holds the region's lease: reads the stream after the read model's checkpoint and
/// applies what it finds; rebuilds the read model when asked. A standby replica waits for the lease. The checkpoint is the
/// only progress kept: a replica that dies between a read and its apply leaves nothing behind, and the next holder reads
/// from the checkpoint again.
/// </summary>
public sealed partial class RegionProjector(
    Region region,
    ProjectorOptions options,
    IConnectionMultiplexer redis,
    IConnectionMultiplexer blockingRedis,
    ProjectorMetrics metrics,
    ILogger logger)
{
    private readonly LedgerKeys _keys = new(region);
    private readonly StreamTail _stream = new(region, redis, blockingRedis);
    private readonly ProjectionLease _lease = new(region, redis, options.ConsumerName, options.LeaseDuration);
    private readonly ReadModelProjection _projection = new(redis);
    private readonly Snapshots _snapshots = new(redis);
    private readonly DeadLetters _deadLetters = new(region, redis);
    private readonly Stopwatch _lastRenewal = Stopwatch.StartNew();
    private long _appliedSinceSnapshot;
    private StreamPosition _failingEntry;
    private int _failedReads;

    public async Task RunAsync(CancellationToken stopping)
    {
        var holding = false;
        // Where the next read starts; null: read the checkpoint first (on taking the lease, after a rebuild or an error).
        StreamPosition? position = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!holding || _lastRenewal.Elapsed >= options.LeaseRenewInterval)
                {
                    var held = await _lease.HoldAsync();
                    _lastRenewal.Restart();
                    if (!held)
                    {
                        if (holding)
                        {
                            LogLeaseLost(logger, region.Value, await _lease.HolderAsync());
                        }
                        holding = false;
                        await Task.Delay(options.LeaseRenewInterval, stopping);
                        continue;
                    }
                    if (!holding)
                    {
                        holding = true;
                        position = null;
                        metrics.TookOver(region.Value);
                        LogLeaseTaken(logger, region.Value, options.ConsumerName);
                    }
                    if (await redis.GetDatabase().StringGetAsync(_keys.RebuildRequest) is { IsNull: false } request)
                    {
                        await RebuildAsync(fromSnapshot: request == "snapshot", stopping);
                        await redis.GetDatabase().KeyDeleteAsync(_keys.RebuildRequest);
                        position = null;
                    }
                }

                position ??= await _projection.CheckpointAsync(_keys.ReadModel);
                var entries = await _stream.ReadAfterAsync(position.Value, options.BatchSize, options.ReadBlock);
                var (checkpoint, complete) = await ProcessAsync(entries);
                // Nothing new, or an entry to read again: start from the checkpoint next time, in case someone else moved
                // it (an operator who deleted the read model, another replica that stepped over the entry).
                position = entries.Length == 0 || !complete ? null : checkpoint ?? position;
                if (!complete)
                {
                    await Task.Delay(options.RetryDelay, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (RebuildInterruptedException e)
            {
                // The request stays: whoever holds the lease next (this replica, if it still does) starts the rebuild again.
                LogRebuildInterrupted(logger, region.Value, e.Message);
                position = null;
                holding = await StillHoldingAsync();
                await Task.Delay(options.LeaseRenewInterval, CancellationToken.None);
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // Redis away or failing over: keep the lease logic honest and try again shortly.
                LogRedisError(logger, region.Value, e.Message);
                holding = false;
                position = null;
                await Task.Delay(options.LeaseRenewInterval, CancellationToken.None);
            }
        }

        if (holding)
        {
            try
            {
                await _lease.ReleaseAsync();
                LogLeaseReleased(logger, region.Value);
            }
            catch (RedisException)
            {
                // It expires by itself.
            }
        }
    }

    /// <summary>
    /// Decodes and applies entries in order; returns the read model's checkpoint after them (null when nothing was applied)
    /// and whether the batch went through (see <see cref="DecodeAsync"/>).
    /// </summary>
    private async Task<(StreamPosition? Checkpoint, bool Complete)> ProcessAsync(StreamEntry[] entries)
    {
        var (items, complete) = await DecodeAsync(entries, rebuilding: false);
        return (items.Count == 0 ? null : await ApplyAsync(items), complete);
    }

    /// <summary>
    /// Decodes entries in order. An entry that cannot be decoded, once it is in the dead-letter stream, becomes an item the
    /// projection steps over. Projecting live, it stops the batch there (order matters) and is read again after
    /// <see cref="ProjectorOptions.RetryDelay"/> until it has failed <see cref="ProjectorOptions.MaxDeliveries"/> times in a
    /// row (counted in this process: a restart starts again); Complete is false then. Rebuilding, it is dead-lettered at once.
    /// </summary>
    private async Task<(List<ProjectionItem> Items, bool Complete)> DecodeAsync(StreamEntry[] entries, bool rebuilding)
    {
        var items = new List<ProjectionItem>(entries.Length);
        foreach (var entry in entries)
        {
            var position = StreamPosition.Parse(entry.Id);
            Domain.Events.StockEvent? decoded;
            try
            {
                decoded = StockEventCodec.Decode(region, entry);
            }
            catch (UndecodableEventException e)
            {
                if (!await DeadLetterAsync(entry, position, e, rebuilding))
                {
                    return (items, false);
                }
                decoded = null;
            }
            items.Add(new ProjectionItem(position, decoded));
        }
        return (items, true);
    }

    /// <summary>Whether the entry is (now) in the dead-letter stream; false: read it again later.</summary>
    private async Task<bool> DeadLetterAsync(StreamEntry entry, StreamPosition position, UndecodableEventException e, bool rebuilding)
    {
        if (await _deadLetters.HoldsAsync(e.EntryId))
        {
            return true;
        }
        var failedReads = 0;
        if (!rebuilding)
        {
            _failedReads = _failingEntry == position ? _failedReads + 1 : 1;
            _failingEntry = position;
            if (_failedReads < options.MaxDeliveries)
            {
                LogPoisonRetry(logger, region.Value, e.EntryId, _failedReads, e.Reason);
                return false;
            }
            failedReads = _failedReads;
            // Should an operator delete the letter, the entry is counted from one again.
            _failingEntry = default;
            _failedReads = 0;
        }
        await _deadLetters.AddAsync(entry, e.Reason, failedReads, options.ConsumerName);
        metrics.DeadLettered(region.Value);
        LogDeadLettered(logger, region.Value, e.EntryId, failedReads, e.Reason);
        return true;
    }

    private async Task<StreamPosition> ApplyAsync(List<ProjectionItem> items)
    {
        var result = await _projection.ApplyAsync(region, _keys.ReadModel, items, options.ActivityCap);
        if (result.Gap)
        {
            // The batch does not follow the checkpoint (the read model was put back, or another replica moved it): the
            // next read starts at the checkpoint.
            LogGap(logger, region.Value, result.Checkpoint, items[0].Position);
            return result.Checkpoint;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        metrics.Applied(region.Value, result.Applied, items.Where(i => i.Event is not null).TakeLast(result.Applied)
            .Select(i => (double)(now - i.Position.Milliseconds)));
        await MaybeSnapshotAsync(result.Applied);
        return result.Checkpoint;
    }

    /// <summary>
    /// Applies the stream's entries after the target's checkpoint, up to the head, without blocking. A rebuild can take
    /// longer than the lease, so it renews the lease as live projection does, and stops if the lease is gone.
    /// </summary>
    private async Task<StreamPosition> CatchUpAsync(ReadModelKeys target)
    {
        var checkpoint = await _projection.CheckpointAsync(target);
        while (true)
        {
            await KeepLeaseAsync();
            var entries = await _stream.ReadRangeAsync(checkpoint, options.BatchSize);
            if (entries.Length == 0)
            {
                break;
            }
            var (items, _) = await DecodeAsync(entries, rebuilding: true);
            var result = await _projection.ApplyAsync(region, target, items, options.ActivityCap);
            if (result.Gap)
            {
                // Read straight from the stream after the checkpoint, a batch can only miss it if someone else moved it:
                // another replica rebuilding into the same keys after this one's lease lapsed.
                throw new RebuildInterruptedException($"the model being rebuilt moved to {result.Checkpoint} while this replica was at {checkpoint}");
            }
            checkpoint = result.Checkpoint;
            if (entries.Length < options.BatchSize)
            {
                break;
            }
        }
        return checkpoint;
    }

    /// <summary>
    /// Rebuilds the read model aside from the stream (from the first event, or from the snapshot), then switches it in atomically.
    /// Live projection of this region pauses meanwhile, so the live model stays as it was until the switch: readers never see a
    /// half-built model or a position lower than before.
    /// </summary>
    public async Task RebuildAsync(bool fromSnapshot, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        var target = _keys.ReadModelRebuild;
        await _projection.ClearAsync(target);
        var snapshot = fromSnapshot ? await _snapshots.LoadAsync(region) : null;
        if (snapshot is not null)
        {
            await redis.GetDatabase().HashSetAsync(target.Stock,
            [
                new HashEntry("quantity", snapshot.State.Level.Value),
                new HashEntry("events", snapshot.State.EventCount),
                new HashEntry("position", snapshot.Position.ToString()),
                new HashEntry("skipped", 0),
            ]);
        }
        LogRebuildStarted(logger, region.Value, snapshot?.Position ?? StreamPosition.Start);

        var checkpoint = await CatchUpAsync(target);
        stopping.ThrowIfCancellationRequested();
        var outcome = await _projection.SwitchInRebuildAsync(region, options.ConsumerName);
        if (outcome == RebuildSwitch.NotLeaseHolder)
        {
            throw new RebuildInterruptedException($"the lease went to {await _lease.HolderAsync() ?? "nobody"} before the switch");
        }
        var switched = outcome == RebuildSwitch.Switched;
        var view = await new ReadModelReader(redis).GetStockAsync(region);
        await redis.GetDatabase().HashSetAsync(_keys.RebuildResult,
        [
            new HashEntry("position", checkpoint.ToString()),
            new HashEntry("events", view.EventCount),
            new HashEntry("switched", switched ? 1 : 0),
            new HashEntry("durationMs", clock.ElapsedMilliseconds),
            new HashEntry("fromSnapshot", snapshot is null ? 0 : 1),
            new HashEntry("at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        ]);
        metrics.Rebuilt(region.Value);
        LogRebuildDone(logger, region.Value, view.EventCount, checkpoint, clock.ElapsedMilliseconds, switched);
    }

    private async Task<bool> StillHoldingAsync()
    {
        try
        {
            return await _lease.HolderAsync() == options.ConsumerName;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    private async Task KeepLeaseAsync()
    {
        if (_lastRenewal.Elapsed < options.LeaseRenewInterval)
        {
            return;
        }
        if (!await _lease.HoldAsync())
        {
            throw new RebuildInterruptedException($"the lease went to {await _lease.HolderAsync() ?? "nobody"}");
        }
        _lastRenewal.Restart();
    }

    private async Task MaybeSnapshotAsync(int applied)
    {
        _appliedSinceSnapshot += applied;
        if (_appliedSinceSnapshot < options.SnapshotEvery)
        {
            return;
        }
        _appliedSinceSnapshot = 0;
        var view = await new ReadModelReader(redis).GetStockAsync(region);
        // A snapshot stands for a replay up to its position. Once the read model has stepped over an entry it could not
        // read, it is no longer one (the entry may have been an event of a newer version), so no snapshot is taken.
        var skipped = (long?)await redis.GetDatabase().HashGetAsync(_keys.ReadModel.Stock, "skipped") ?? 0;
        var valid = Quantity.TryCreate(view.Quantity, out var quantity, out var invalid);
        if (skipped > 0 || !valid)
        {
            LogNoSnapshot(logger, region.Value, view.Position,
                skipped > 0 ? $"the read model stepped over {skipped} unreadable entries" : $"its quantity is invalid ({invalid})");
            return;
        }
        await _snapshots.StoreAsync(new ReplayResult(new Domain.StockState(region, quantity, view.EventCount), view.Position));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Region {Region}: lease taken by {Consumer}; projecting")]
    private static partial void LogLeaseTaken(ILogger logger, string region, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Region {Region}: lease lost to {Holder}; standing by")]
    private static partial void LogLeaseLost(ILogger logger, string region, string? holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Region {Region}: lease released")]
    private static partial void LogLeaseReleased(ILogger logger, string region);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Region {Region}: entry {EntryId} failed (read {FailedReads}): {Reason}; will retry")]
    private static partial void LogPoisonRetry(ILogger logger, string region, string entryId, int failedReads, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Region {Region}: entry {EntryId} dead-lettered after {FailedReads} failed reads (0: met while rebuilding): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string region, string entryId, int failedReads, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Region {Region}: batch starting at {First} does not follow checkpoint {Checkpoint}; reading from the checkpoint")]
    private static partial void LogGap(ILogger logger, string region, StreamPosition checkpoint, StreamPosition first);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Region {Region}: Redis error, retrying: {Reason}")]
    private static partial void LogRedisError(ILogger logger, string region, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Region {Region}: no snapshot at {Position}: {Reason}, so the read model is not a replay state")]
    private static partial void LogNoSnapshot(ILogger logger, string region, StreamPosition position, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Region {Region}: rebuild interrupted ({Reason}); the next lease holder starts it again")]
    private static partial void LogRebuildInterrupted(ILogger logger, string region, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Region {Region}: rebuild started after {Start} (0-0: from the first event)")]
    private static partial void LogRebuildStarted(ILogger logger, string region, StreamPosition start);

    [LoggerMessage(Level = LogLevel.Information, Message = "Region {Region}: rebuild done: {Events} events up to {Position} in {Milliseconds} ms (switched: {Switched})")]
    private static partial void LogRebuildDone(ILogger logger, string region, long events, StreamPosition position, long milliseconds, bool switched);
}

/// <summary>A rebuild stopped because this replica no longer holds the region's lease; the live model is as it was.</summary>
public sealed class RebuildInterruptedException(string reason) : Exception(reason);
