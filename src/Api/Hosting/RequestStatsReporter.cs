using HdrHistogram;

namespace Hyperstore.Api.Hosting;

/// <summary>
/// Every <see cref="Interval"/>, one JSON log line with the requests of the interval: count, 5xx count and latency
/// percentiles (event name <c>RequestStats</c>). CloudWatch metric filters turn it into the 5xx-rate and p99 alarms;
/// a TCP load balancer sees no HTTP, and a log line per request would cost more than the requests at these rates.
/// </summary>
public sealed partial class RequestStatsReporter(ILogger<RequestStatsReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    // Microseconds, up to one minute, 3 significant digits; a Recorder swaps histograms without stopping writers.
    // Requests record from many threads at once, so the histograms must be the concurrent kind.
    private readonly Recorder _latency = new(1, 60_000_000, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private long _requests;
    private long _errors;

    public void Record(int statusCode, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _requests);
        if (statusCode >= 500)
        {
            Interlocked.Increment(ref _errors);
        }
        _latency.RecordValue(Math.Clamp((long)elapsed.TotalMicroseconds, 1, 60_000_000));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                ReportSafely();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: StopAsync reports what is left.
        }
    }

    /// <summary>Stops the timer, then reports the requests of the last, partial interval.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        ReportSafely();
    }

    // Statistics are an aid: a failure here is logged and must never stop the service.
    private void ReportSafely()
    {
        try
        {
            Report();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            LogReportFailed(logger, e);
        }
    }

    private void Report()
    {
        var requests = Interlocked.Exchange(ref _requests, 0);
        var errors = Interlocked.Exchange(ref _errors, 0);
        var histogram = _latency.GetIntervalHistogram();
        if (requests == 0)
        {
            return;
        }
        var p50 = histogram.GetValueAtPercentile(50) / 1000.0;
        var p99 = histogram.GetValueAtPercentile(99) / 1000.0;
        var max = histogram.GetMaxValue() / 1000.0;
        LogStats(logger, requests, errors, p50, p99, max);
    }

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Request statistics could not be reported")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9001, EventName = "RequestStats", Level = LogLevel.Information,
        Message = "{Requests} requests, {Errors5xx} 5xx, p50 {P50Ms} ms, p99 {P99Ms} ms, max {MaxMs} ms in the last 10 s")]
    private static partial void LogStats(ILogger logger, long requests, long errors5xx, double p50Ms, double p99Ms, double maxMs);
}

public static class RequestStatsExtensions
{
    public static IHostApplicationBuilder AddRequestStats(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RequestStatsReporter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RequestStatsReporter>());
        return builder;
    }

    /// <summary>Times every request from here on, including the ones that end in an error answer.</summary>
    public static IApplicationBuilder UseRequestStats(this IApplicationBuilder app)
    {
        var reporter = app.ApplicationServices.GetRequiredService<RequestStatsReporter>();
        return app.Use(async (context, next) =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                reporter.Record(context.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
        });
    }
}
