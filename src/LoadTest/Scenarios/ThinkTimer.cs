using System.Threading.Tasks.Sources;

namespace Hyperstore.LoadTest.Scenarios;

/// <summary>
/// One user's think time, waited on the run's <see cref="ThinkTimeQueue"/> and reused for each wait: a
/// <c>Task.Delay</c> per wait made a timer, a task and a cancellation registration each time; at 10,000 users those
/// were alive at every collection of the load client and were copied out of gen0, linked from older objects
/// (docs/performance.md). A stop ends a pending wait at once.
/// </summary>
internal sealed class ThinkTimer : IValueTaskSource, IDisposable
{
    private readonly ThinkTimeQueue _queue;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _onStop;
    private ManualResetValueTaskSourceCore<bool> _wait = new() { RunContinuationsAsynchronously = true };
    private int _waiting;

    public ThinkTimer(ThinkTimeQueue queue, CancellationToken stopping)
    {
        _queue = queue;
        _stopping = stopping;
        _onStop = stopping.UnsafeRegister(static timer => ((ThinkTimer)timer!).End(stopped: true), this);
    }

    /// <summary>Completes after <paramref name="delay"/>, or throws <see cref="OperationCanceledException"/> when the run stops.</summary>
    public ValueTask WaitAsync(TimeSpan delay)
    {
        _stopping.ThrowIfCancellationRequested();
        _wait.Reset();
        Volatile.Write(ref _waiting, 1);
        short version = _wait.Version;
        _queue.Add(this, version, delay);
        if (_stopping.IsCancellationRequested)
        {
            // The stop came between the check above and the Add: its callback found no wait to end.
            End(stopped: true);
        }
        return new ValueTask(this, version);
    }

    /// <summary>Ends the wait <paramref name="version"/>, if it is still the pending one (a stop may have ended it).</summary>
    public void Wake(short version)
    {
        if (_wait.Version == version)
        {
            End(stopped: false);
        }
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

    public void Dispose() => _onStop.Dispose();
}
