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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = false;
        var wasLive = false;
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
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Reads go to Redis meanwhile (and fail there as they would have without the views).
                LogRefreshFailed(logger, e.Message);
            }
            if (views.IsLive != wasLive)
            {
                wasLive = views.IsLive;
                LogLiveChanged(logger, wasLive);
            }
            await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stock views: could not subscribe or refresh ({Reason}); reads go to Redis")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stock views served from memory: {Live}")]
    private static partial void LogLiveChanged(ILogger logger, bool live);
}
