using Hyperstore.LoadTest.Scenarios;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Hyperstore.LoadTest.Tests;

/// <summary>A user's think time: one timer for every wait, and a stop ends a wait at once.</summary>
public sealed class ThinkTimerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stopping = new();

    public void Dispose() => _stopping.Dispose();

    [Fact]
    public async Task WaitAsync_OneWaitAfterAnother_EachCompletesWhenItsDelayHasPassed_NotBefore()
    {
        using var timer = new ThinkTimer(_time, _stopping.Token);
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
        using var timer = new ThinkTimer(_time, _stopping.Token);
        var wait = timer.WaitAsync(TimeSpan.FromSeconds(2)).AsTask();

        await _stopping.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(_stopping.Token, error.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(2)); // the timer firing afterwards changes nothing
    }

    [Fact]
    public async Task WaitAsync_AfterTheStop_ThrowsAtOnce()
    {
        using var timer = new ThinkTimer(_time, _stopping.Token);
        await _stopping.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await timer.WaitAsync(TimeSpan.FromSeconds(1)));
    }
}
