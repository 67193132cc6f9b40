using System.Text.Json;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StreamPosition = Hyperstore.Ledger.StreamPosition;

namespace Hyperstore.Projector;

/// <summary>
/// Measures every second how far each region's read model is behind its stream, from the stream and the read model's
/// checkpoint: the entries after the checkpoint, and the age of the oldest of them. Runs on standby replicas too.
/// </summary>
public sealed partial class LagMonitor(IConnectionMultiplexer redis, RegionList regions, ProjectorMetrics metrics, ILogger<LagMonitor> logger)
    : BackgroundService
{
    /// <summary>Every this many measurements (seconds) the lag is also logged: the CloudWatch lag alarm reads that line.</summary>
    private const int LogEvery = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var tick = 0;
        do
        {
            tick++;
            foreach (var region in regions.Regions)
            {
                try
                {
                    var lag = await MeasureAsync(region);
                    metrics.SetLag(region.Value, lag);
                    if (tick % LogEvery == 1)
                    {
                        LogLag(logger, region.Value, lag.Events, lag.Milliseconds);
                    }
                }
                catch (Exception e) when (e is RedisException or RedisTimeoutException)
                {
                    // Reported by the readiness check; nothing to measure now.
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 9101, EventName = "ProjectionLag", Level = LogLevel.Information,
        Message = "Region {Region}: read model {LagEvents} events, {LagMs} ms behind the stream")]
    private static partial void LogLag(ILogger logger, string region, long lagEvents, double lagMs);

    public async Task<ProjectionLag> MeasureAsync(Domain.Values.Region region)
    {
        var database = redis.GetDatabase();
        var keys = new LedgerKeys(region);
        var checkpointValues = await database.HashGetAsync(keys.ReadModel.Stock, ["position", "events", "skipped"]);
        var checkpoint = checkpointValues[0].IsNull ? StreamPosition.Start : StreamPosition.Parse(checkpointValues[0]);
        var projected = (checkpointValues[1].IsNull ? 0 : (long)checkpointValues[1]) + (checkpointValues[2].IsNull ? 0 : (long)checkpointValues[2]);
        var next = await database.StreamRangeAsync(keys.Events, "(" + checkpoint, "+", 1);
        var now = DateTimeOffset.UtcNow;
        if (next.Length == 0)
        {
            return new ProjectionLag(0, 0, now);
        }
        var length = await database.StreamLengthAsync(keys.Events);
        var oldestUnprojected = StreamPosition.Parse(next[0].Id);
        return new ProjectionLag(Math.Max(1, length - projected), Math.Max(0, now.ToUnixTimeMilliseconds() - oldestUnprojected.Milliseconds), now);
    }
}

/// <summary>Ready when Redis answers and no region is further behind than <see cref="ProjectorOptions.MaxHealthyLag"/>.</summary>
public sealed class ProjectorReadyCheck(IConnectionMultiplexer redis, ProjectorMetrics metrics, IOptions<ProjectorOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
        }
        catch (RedisException e)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable: " + e.Message);
        }
        var data = metrics.Lag.ToDictionary(l => l.Key, l => (object)l.Value);
        var behind = metrics.Lag.Where(l => l.Value.Milliseconds > options.Value.MaxHealthyLag.TotalMilliseconds).Select(l => l.Key).ToList();
        return behind.Count == 0
            ? HealthCheckResult.Healthy("projection lag within bounds", data)
            : HealthCheckResult.Unhealthy($"projection behind in {string.Join(", ", behind)}", data: data);
    }

    /// <summary>The answer of <c>/health/ready</c>: status, why, and each region's lag as last measured.</summary>
    public static async Task WriteResponseAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("regions");
        foreach (var entry in report.Entries.Values)
        {
            foreach (var (region, value) in entry.Data)
            {
                if (value is ProjectionLag lag)
                {
                    json.WriteStartObject(region);
                    json.WriteNumber("lagEvents", lag.Events);
                    json.WriteNumber("lagMs", Math.Round(lag.Milliseconds));
                    json.WriteString("measuredAt", lag.MeasuredAt);
                    json.WriteEndObject();
                }
            }
        }
        json.WriteEndObject();
        json.WriteString("description", string.Join("; ", report.Entries.Values.Select(e => e.Description).OfType<string>()));
        json.WriteEndObject();
    }
}
