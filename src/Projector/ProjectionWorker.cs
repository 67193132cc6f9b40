using Hyperstore.Domain.Values;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hyperstore.Projector;

/// <summary>
/// Runs one <see cref="RegionProjector"/> per region. A fatal error stops the host with exit code 1, so that the
/// platform restarts the task (the .NET host would otherwise exit with 0).
/// </summary>
public sealed partial class ProjectionWorker(
    IConnectionMultiplexer redis,
    IOptions<ProjectorOptions> options,
    RegionList regions,
    ProjectorMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<ProjectionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var blocking = new List<ConnectionMultiplexer>();
        try
        {
            var projectors = new List<Task>();
            foreach (var region in regions.Regions)
            {
                // A blocked XREAD holds its connection: each region reads on a connection of its own.
                var configuration = ConfigurationOptions.Parse(redis.Configuration);
                configuration.AbortOnConnectFail = false;
                configuration.ClientName = $"hyperstore-projector-{region}-read";
                configuration.SyncTimeout = configuration.AsyncTimeout =
                    Math.Max(configuration.AsyncTimeout, (int)options.Value.ReadBlock.TotalMilliseconds + 5_000);
                var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
                blocking.Add(connection);
                var projector = new RegionProjector(region, options.Value, redis, connection, metrics, logger);
                projectors.Add(Task.Run(() => projector.RunAsync(stoppingToken), CancellationToken.None));
            }
            LogStarted(logger, options.Value.ConsumerName, regions.Regions);
            // The first region to fail takes the process down with it, rather than leaving that region silently unprojected.
            while (projectors.Count > 0)
            {
                var finished = await Task.WhenAny(projectors);
                await finished;
                projectors.Remove(finished);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFatal(logger, e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
        finally
        {
            foreach (var connection in blocking)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Projector {Consumer} started for regions {Regions}")]
    private static partial void LogStarted(ILogger logger, string consumer, IReadOnlyList<Region> regions);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Projector stopped by a fatal error")]
    private static partial void LogFatal(ILogger logger, Exception exception);
}

/// <summary>The regions to project (<c>Hyperstore:Regions</c>, comma-separated or an array).</summary>
public sealed class RegionList(IReadOnlyList<Region> regions)
{
    public IReadOnlyList<Region> Regions { get; } = regions;

    public static RegionList From(IConfiguration configuration)
    {
        var single = configuration["Hyperstore:Regions"];
        var names = !string.IsNullOrWhiteSpace(single)
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : configuration.GetSection("Hyperstore:Regions").Get<string[]>() ?? [];
        if (names.Length == 0)
        {
            names = ["eu", "na", "sa"];
        }
        return new RegionList([.. names.Distinct(StringComparer.Ordinal).Select(Region.Parse)]);
    }
}
