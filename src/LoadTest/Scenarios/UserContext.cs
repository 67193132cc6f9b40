using Hyperstore.LoadTest.Http;

namespace Hyperstore.LoadTest.Scenarios;

/// <summary>
/// One virtual user as a scenario sees it: the API calls, think time and its own random numbers.
/// Every call throws <see cref="OperationCanceledException"/> once the run is stopping, so a scenario
/// needs no checks of its own.
/// </summary>
internal sealed class UserContext(
    int number,
    HyperstoreClient client,
    Random random,
    TimeSpan thinkMin,
    TimeSpan thinkMax,
    TimeProvider time,
    ThinkTimeQueue thinking,
    CancellationToken stopping,
    CancellationToken hardStop) : IDisposable
{
    private AccessToken? _token;
    private ThinkTimer? _thinkTimer;

    /// <summary>1-based number of this user in the run.</summary>
    public int Number { get; } = number;

    public Random Random { get; } = random;

    public CancellationToken Stopping { get; } = stopping;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, both included.</summary>
    public int Between(int min, int max) => Random.Next(min, max + 1);

    /// <summary>Waits a random think time; nothing when think time is zero.</summary>
    public ValueTask ThinkAsync()
    {
        Stopping.ThrowIfCancellationRequested();
        if (thinkMax <= TimeSpan.Zero)
        {
            return ValueTask.CompletedTask;
        }

        var wait = thinkMin + (thinkMax - thinkMin) * Random.NextDouble();
        _thinkTimer ??= new ThinkTimer(thinking, Stopping);
        return _thinkTimer.WaitAsync(wait);
    }

    public void Dispose() => _thinkTimer?.Dispose();

    /// <summary>Makes sure the user holds a valid token with <paramref name="scope"/>; false if it could not get one.</summary>
    public async Task<bool> SignInAsync(string scope)
    {
        if (_token is { Rejected: false } && _token.RefreshAt > time.GetUtcNow())
        {
            return true;
        }

        _token = await FetchTokenAsync(scope);
        return _token is not null;
    }

    public Task<AccessToken?> FetchTokenAsync(string scope)
    {
        Stopping.ThrowIfCancellationRequested();
        return client.FetchTokenAsync(scope, hardStop);
    }

    public Task<long?> ReadStockAsync()
    {
        Stopping.ThrowIfCancellationRequested();
        return client.ReadStockAsync(Token, hardStop);
    }

    public Task<BuyResult> BuyAsync(int quantity)
    {
        Stopping.ThrowIfCancellationRequested();
        return client.BuyAsync(Token, quantity, hardStop);
    }

    public Task<bool> SetStockAsync(int quantity, AccessToken stockToken)
    {
        Stopping.ThrowIfCancellationRequested();
        return client.SetStockAsync(stockToken, quantity, hardStop);
    }

    private AccessToken Token => _token ?? throw new InvalidOperationException("Call SignInAsync before the API calls that need a token.");
}
