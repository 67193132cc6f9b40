using Hyperstore.LoadTest.Scenarios;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Hyperstore.LoadTest.Tests;

/// <summary>
/// Users' think times: one waiter per user for all its waits, all users' waits on the run's one queue, each ending
/// when its own delay has passed (in any order of adding), and a stop ends a wait at once.
/// </summary>
public sealed class ThinkTimerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ThinkTimeQueue _queue;

    public ThinkTimerTests() => _queue = new ThinkTimeQueue(_time);

    public void Dispose()
    {
        _queue.Dispose();
        _stopping.Dispose();
    }

    [Fact]
    public async Task WaitAsync_OneWaitAfterAnother_EachCompletesWhenItsDelayHasPassed_NotBefore()
    {
        using var timer = new ThinkTimer(_queue, _stopping.Token);
        for (int i = 1; i <= 3; i++)
        {
            var wait = timer.WaitAsync(TimeSpan.FromSeconds(i)).AsTask();
            _time.Advance(TimeSpan.FromSeconds(i) - TimeSpan.FromMilliseconds(1));
            Assert.False(wait.IsCompleted);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await wait.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Stop_EndsAPendingWait_WithOperationCanceled()
    {
        using var timer = new ThinkTimer(_queue, _stopping.Token);
        var wait = timer.WaitAsync(TimeSpan.FromSeconds(2)).AsTask();

        await _stopping.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(_stopping.Token, error.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(2)); // the queue waking it afterwards changes nothing
    }

    [Fact]
    public async Task WaitAsync_AfterTheStop_ThrowsAtOnce()
    {
        using var timer = new ThinkTimer(_queue, _stopping.Token);
        await _stopping.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await timer.WaitAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Stop_OfOneUser_LeavesAnotherUsersWaitToItsOwnTime()
    {
        using var stopped = new ThinkTimer(_queue, _stopping.Token);
        using var other = new CancellationTokenSource();
        using var running = new ThinkTimer(_queue, other.Token);
        var stoppedWait = stopped.WaitAsync(TimeSpan.FromSeconds(1)).AsTask();
        var runningWait = running.WaitAsync(TimeSpan.FromSeconds(3)).AsTask();

        await _stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stoppedWait.WaitAsync(TimeSpan.FromSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(runningWait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await runningWait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Waits_AddedOutOfOrder_EachEndsAtItsOwnTime()
    {
        int[] delaysMs = [1500, 200, 1999, 1000, 200, 1];
        var timers = delaysMs.Select(_ => new ThinkTimer(_queue, _stopping.Token)).ToArray();
        var waits = timers.Zip(delaysMs, (timer, ms) => timer.WaitAsync(TimeSpan.FromMilliseconds(ms)).AsTask()).ToArray();

        int elapsed = 0;
        foreach (int step in delaysMs.Distinct().Order())
        {
            _time.Advance(TimeSpan.FromMilliseconds(step - elapsed - 1));
            Assert.All(waits.Where((_, i) => delaysMs[i] >= step), wait => Assert.False(wait.IsCompleted));
            _time.Advance(TimeSpan.FromMilliseconds(1));
            elapsed = step;
            await Task.WhenAll(waits.Where((_, i) => delaysMs[i] <= step)).WaitAsync(TimeSpan.FromSeconds(10));
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    [Fact]
    public async Task AWait_ShorterThanThoseWaiting_EndsFirst()
    {
        using var slow = new ThinkTimer(_queue, _stopping.Token);
        using var fast = new ThinkTimer(_queue, _stopping.Token);
        var slowWait = slow.WaitAsync(TimeSpan.FromSeconds(2)).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var fastWait = fast.WaitAsync(TimeSpan.FromMilliseconds(100)).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(100));

        await fastWait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(slowWait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1400));
        await slowWait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ManyUsers_ThousandsOfWaits_EachEndsExactlyWhenDue()
    {
        const int users = 2000;
        var random = new Random(7);
        var timers = Enumerable.Range(0, users).Select(_ => new ThinkTimer(_queue, _stopping.Token)).ToArray();
        var due = timers.Select(_ => random.Next(1000, 2001)).ToArray();
#pragma warning disable CA2012 // each ValueTask is awaited once, below; IsCompleted reads the waiter's own state,
        // whereas a Task made from it completes later, on the thread pool.
        var waits = timers.Select((timer, i) => timer.WaitAsync(TimeSpan.FromMilliseconds(due[i]))).ToArray();

        for (int ms = 1; ms <= 2000; ms++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            for (int i = 0; i < users; i++)
            {
                Assert.True(waits[i].IsCompleted == due[i] <= ms, $"wait {i} of {due[i]} ms: completed {waits[i].IsCompleted} at {ms} ms");
            }
        }
#pragma warning restore CA2012

        foreach (var wait in waits)
        {
            await wait;
        }
        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    [Fact]
    public async Task Add_AfterDispose_Throws()
    {
        using var timer = new ThinkTimer(_queue, _stopping.Token);
        _queue.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await timer.WaitAsync(TimeSpan.FromSeconds(1)));
    }
}
