using Hyperstore.Ledger.ReadModel;

namespace Hyperstore.Api.Hosting;

/// <summary>
/// Subscribes <see cref="LiveStockViews"/> to the read model's changes and refreshes it every second: the refresh keeps
/// the views confirmed while nothing changes, and is what serves them from memory again after a lost connection.
/// </summary>
internal sealed partial class LiveStockViewsRefresher(LiveStockViews views, TimeProvider clock, ILogger<LiveStockViewsRefresher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>While Redis stays away, how often the failure is logged again.</summary>
    public static readonly TimeSpan RepeatWarningEvery = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = false;
        var wasLive = false;
        var failing = new RepeatedWarning(RepeatWarningEvery);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await views.SubscribeAsync();
                    subscribed = true;
                }
                else
                {
                    await views.RefreshAllAsync();
                }
                if (failing.Succeed() is var failures and > 0)
                {
                    LogRefreshRecovered(logger, failures);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Reads go to Redis meanwhile (and fail there as they would have without the views).
                if (failing.Fail(clock.GetUtcNow()))
                {
                    LogRefreshFailed(logger, e.Message, failing.Failures);
                }
            }
            if (views.IsLive != wasLive)
            {
                wasLive = views.IsLive;
                LogLiveChanged(logger, wasLive);
            }
            await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stock views: could not subscribe or refresh ({Reason}), {Failures} time(s) in a row; reads go to Redis")]
    private static partial void LogRefreshFailed(ILogger logger, string reason, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stock views: refreshed again after {Failures} failed attempt(s)")]
    private static partial void LogRefreshRecovered(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stock views served from memory: {Live}")]
    private static partial void LogLiveChanged(ILogger logger, bool live);
}
