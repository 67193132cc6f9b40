using System.Threading.Tasks.Sources;

namespace Hyperstore.LoadTest.Scenarios;

/// <summary>
/// One user's think time: one timer, set again for each wait. A <c>Task.Delay</c> per wait made a timer, a task and a
/// cancellation registration each time; at 10,000 users those were alive at every collection of the load client and
/// were copied out of gen0, linked from older objects (docs/performance.md). A stop ends a pending wait at once.
/// </summary>
internal sealed class ThinkTimer : IValueTaskSource, IDisposable
{
    private readonly ITimer _timer;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _onStop;
    private ManualResetValueTaskSourceCore<bool> _wait;
    private int _waiting;

    public ThinkTimer(TimeProvider time, CancellationToken stopping)
    {
        _stopping = stopping;
        _timer = time.CreateTimer(static timer => ((ThinkTimer)timer!).End(stopped: false), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _onStop = stopping.UnsafeRegister(static timer => ((ThinkTimer)timer!).End(stopped: true), this);
    }

    /// <summary>Completes after <paramref name="delay"/>, or throws <see cref="OperationCanceledException"/> when the run stops.</summary>
    public ValueTask WaitAsync(TimeSpan delay)
    {
        _stopping.ThrowIfCancellationRequested();
        _wait.Reset();
        Volatile.Write(ref _waiting, 1);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        if (_stopping.IsCancellationRequested)
        {
            // The stop came between the check above and the timer: its callback found no wait to end.
            End(stopped: true);
        }
        return new ValueTask(this, _wait.Version);
    }

    /// <summary>Ends the pending wait once, whichever of the timer and the stop comes first.</summary>
    private void End(bool stopped)
    {
        if (Interlocked.Exchange(ref _waiting, 0) != 1)
        {
            return;
        }
        if (stopped)
        {
            _wait.SetException(new OperationCanceledException(_stopping));
        }
        else
        {
            _wait.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token) => _wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wait.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        _onStop.Dispose();
        _timer.Dispose();
    }
}
