namespace Hyperstore.LoadTest.Scenarios;

/// <summary>
/// Every user's pending think time, in the order they end, on one timer. With a timer per user, the runtime's timer
/// queue walked all timers due within the next third of a second each time one fired: an eighth of the load client's
/// CPU samples at 10,000 users (docs/performance.md). Here a wake-up costs a heap operation, whatever the number of
/// users.
/// </summary>
internal sealed class ThinkTimeQueue : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly PriorityQueue<(ThinkTimer Waiter, short Version), long> _pending = new();
    private readonly Lock _lock = new();
    private long _timerDue = long.MaxValue;
    private bool _disposed;

    public ThinkTimeQueue(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(static queue => ((ThinkTimeQueue)queue!).WakeDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Calls <see cref="ThinkTimer.Wake"/> with <paramref name="version"/> once <paramref name="delay"/> has passed.</summary>
    public void Add(ThinkTimer waiter, short version, TimeSpan delay)
    {
        long due = _time.GetTimestamp() + TicksOf(delay);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _pending.Enqueue((waiter, version), due);
            if (due < _timerDue)
            {
                SetTimer(due);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _pending.Clear();
        }
        _timer.Dispose();
    }

    private void WakeDue()
    {
        List<(ThinkTimer Waiter, short Version)>? due = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            long now = _time.GetTimestamp();
            while (_pending.TryPeek(out var entry, out long at) && at <= now)
            {
                _pending.Dequeue();
                (due ??= []).Add(entry);
            }

            _timerDue = long.MaxValue;
            if (_pending.TryPeek(out _, out long next))
            {
                SetTimer(next);
            }
        }

        if (due is null)
        {
            return;
        }

        // Outside the lock: each wake-up hands the user's continuation to the thread pool.
        foreach (var (waiter, version) in due)
        {
            waiter.Wake(version);
        }
    }

    private void SetTimer(long due)
    {
        _timerDue = due;
        // Rounded up to whole milliseconds, the timer's resolution: rounded down it would fire before the first wait
        // is due, find nothing to wake, and be set again for 0 ms until it is.
        double milliseconds = Math.Ceiling((due - _time.GetTimestamp()) * 1000.0 / _time.TimestampFrequency);
        _timer.Change(TimeSpan.FromMilliseconds(Math.Max(0, milliseconds)), Timeout.InfiniteTimeSpan);
    }

    private long TicksOf(TimeSpan delay) => (long)(delay.TotalSeconds * _time.TimestampFrequency);
}
