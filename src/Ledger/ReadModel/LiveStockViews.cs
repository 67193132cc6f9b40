using Hyperstore.Domain.Values;
using StackExchange.Redis;

namespace Hyperstore.Ledger.ReadModel;

/// <summary>
/// The read model's stock view of each region, kept in memory from the messages that the projection publishes on the
/// live model's <see cref="ReadModelKeys.Changes"/> channel, so that a read needs no round trip to Redis.
/// <para>
/// A view is served from memory only while the subscription is known to be up and the view was confirmed (by a message or
/// by <see cref="RefreshAllAsync"/>, which the host calls every second) within <see cref="MaxAge"/>; otherwise a read
/// goes to Redis as <see cref="ReadModelReader"/> does. Messages come in the order of the model's states (each is
/// published by the script that made the state), so each one replaces the view unless a read from Redis already stored a
/// newer one; a read from Redis replaces it only if no message arrived while it was in flight, so a slow read never puts
/// an older view back.
/// </para>
/// </summary>
public sealed class LiveStockViews : IAsyncDisposable, IDisposable
{
    /// <summary>How long a view is served from memory without a message or a refresh confirming it.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(3);

    /// <summary>How often a wait for a position reads Redis again while views are not served from memory.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private readonly IConnectionMultiplexer _redis;
    private readonly ReadModelReader _reader;
    private readonly TimeProvider _clock;
    private readonly Dictionary<Region, Slot> _slots;
    private readonly Dictionary<Region, ChannelMessageQueue> _subscriptions = [];
    private volatile bool _subscribed;
    private int _failures;

    public LiveStockViews(IConnectionMultiplexer redis, ReadModelReader reader, IEnumerable<Region> regions, TimeProvider clock)
    {
        _redis = redis;
        _reader = reader;
        _clock = clock;
        _slots = regions.Distinct().ToDictionary(region => region, _ => new Slot());
        _redis.ConnectionFailed += OnConnectionFailed;
    }

    /// <summary>True while views are served from memory (subscribed, and refreshed since the subscription last failed).</summary>
    public bool IsLive => _subscribed;

    /// <summary>
    /// Subscribes to every region's changes not subscribed yet, then reads every view. A failure leaves reads going to
    /// Redis; call it again to finish.
    /// </summary>
    public async Task SubscribeAsync()
    {
        var subscriber = _redis.GetSubscriber();
        foreach (var (region, slot) in _slots.Where(s => !_subscriptions.ContainsKey(s.Key)))
        {
            var channel = ChannelOf(region);
            ChannelMessageQueue queue;
            try
            {
                queue = await subscriber.SubscribeAsync(channel);
            }
            catch
            {
                // The client registers the queue before the server confirms; a failed attempt would leave a queue that
                // nobody reads filling with every message once Redis is back, and each retry would add one.
                try
                {
                    await subscriber.UnsubscribeAsync(channel, handler: null, CommandFlags.FireAndForget);
                }
                catch (RedisException)
                {
                    // The local registration is gone either way; the subscribe's own failure is what to report.
                }
                throw;
            }
            queue.OnMessage(message => OnMessage(region, slot, message.Message));
            _subscriptions[region] = queue;
        }
        await RefreshAllAsync();
    }

    /// <summary>
    /// Reads every region's view from Redis. Views are served from memory afterwards if the subscription was up throughout:
    /// this is how serving from memory resumes after a lost connection (messages published meanwhile were lost).
    /// </summary>
    public async Task RefreshAllAsync()
    {
        var failuresBefore = Volatile.Read(ref _failures);
        foreach (var (region, slot) in _slots)
        {
            await ReadAndStoreAsync(region, slot);
        }
        var subscriber = _redis.GetSubscriber();
        // SubscribedEndpoint is set only once the server has confirmed the subscription; IsConnected alone says only
        // that a subscriber connection is up.
        _subscribed = _subscriptions.Count == _slots.Count
            && _subscriptions.Values.All(queue => subscriber.IsConnected(queue.Channel) && subscriber.SubscribedEndpoint(queue.Channel) is not null)
            && Volatile.Read(ref _failures) == failuresBefore;
        if (Volatile.Read(ref _failures) != failuresBefore)
        {
            _subscribed = false; // a failure reported while the line above ran
        }
    }

    /// <summary>The view memory holds for the region, served or not; null if none (for diagnostics and tests).</summary>
    public StockView? Cached(Region region) => _slots.GetValueOrDefault(region)?.View;

    /// <summary>The region's view: from memory when it is live, otherwise read from Redis.</summary>
    public ValueTask<StockView> GetAsync(Region region)
    {
        if (!_slots.TryGetValue(region, out var slot))
        {
            return new(_reader.GetStockAsync(region));
        }
        var view = slot.View;
        return view is not null && IsServable(slot) ? new(view) : new(ReadAndStoreAsync(region, slot));
    }

    /// <summary>
    /// Waits until the region's view reaches <paramref name="wanted"/>, at most <paramref name="timeout"/>, and returns the
    /// latest view (behind <paramref name="wanted"/> if the time ran out). Wakes on each change, polls Redis when not live.
    /// </summary>
    public async Task<StockView> WaitForPositionAsync(Region region, StreamPosition wanted, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var slot = _slots.GetValueOrDefault(region);
        while (true)
        {
            // Take the change signal before looking, so that a change between the look and the wait is not missed.
            var changed = slot?.Changed.Task;
            var view = await GetAsync(region);
            var left = timeout - _clock.GetElapsedTime(started);
            if (view.Position >= wanted || left <= TimeSpan.Zero)
            {
                return view;
            }
            if (changed is not null && slot is not null && IsServable(slot))
            {
                await changed.WaitAsync(left, _clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await Task.Delay(left < PollInterval ? left : PollInterval, _clock, cancellationToken);
            }
        }
    }

    /// <summary>Stops following the changes; the unsubscribes are fire-and-forget, so there is nothing to await.</summary>
    public void Dispose()
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _subscribed = false;
        foreach (var queue in _subscriptions.Values)
        {
            queue.Unsubscribe(CommandFlags.FireAndForget);
        }
        _subscriptions.Clear();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private bool IsServable(Slot slot) =>
        _subscribed && _clock.GetElapsedTime(Volatile.Read(ref slot.ConfirmedAt)) <= MaxAge;

    /// <summary>
    /// Reads the view from Redis and keeps it unless something newer is already kept: a message that arrived while the
    /// read was in flight, or a read issued after this one that completed first.
    /// </summary>
    private async Task<StockView> ReadAndStoreAsync(Region region, Slot slot)
    {
        var messagesBefore = Volatile.Read(ref slot.Messages);
        var ticket = Interlocked.Increment(ref slot.ReadsIssued);
        var view = await _reader.GetStockAsync(region);
        lock (slot.Gate)
        {
            if (slot.Messages == messagesBefore && ticket > slot.LastStoredRead)
            {
                slot.LastStoredRead = ticket;
                slot.Store(view, _clock.GetTimestamp());
            }
        }
        return view;
    }

    private static RedisChannel ChannelOf(Region region) => RedisChannel.Literal(new LedgerKeys(region).ReadModel.Changes!);

    private void OnMessage(Region region, Slot slot, RedisValue message)
    {
        if (!StockViewMessage.TryParse(region, message, out var view))
        {
            // Not a state this process understands (a newer projector?): stop trusting memory until a refresh.
            Interlocked.Increment(ref _failures);
            _subscribed = false;
            return;
        }
        lock (slot.Gate)
        {
            // A message still queued when a read from Redis stored a newer view: older than what is served, not a change.
            // (A read model deleted and projected again does go back; the next refresh puts that in place.)
            if (slot.View is { } current && view.Position < current.Position)
            {
                return;
            }
            slot.Messages++;
            slot.Store(view, _clock.GetTimestamp());
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _failures);
        _subscribed = false;
        foreach (var slot in _slots.Values)
        {
            // Waiters parked on a change go back to polling Redis instead of waiting for a message that may not come.
            lock (slot.Gate)
            {
                slot.SignalChange();
            }
        }
    }

    private sealed class Slot
    {
        public readonly Lock Gate = new();
        public volatile StockView? View;
        public long ConfirmedAt;
        public long Messages;
        public long ReadsIssued;
        public long LastStoredRead;
        public volatile TaskCompletionSource Changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Call under <see cref="Gate"/>.</summary>
        public void Store(StockView view, long now)
        {
            var previous = View;
            View = view;
            Volatile.Write(ref ConfirmedAt, now);
            if (previous is null || previous != view)
            {
                SignalChange();
            }
        }

        /// <summary>Call under <see cref="Gate"/>.</summary>
        public void SignalChange()
        {
            var changed = Changed;
            Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.SetResult();
        }
    }
}
