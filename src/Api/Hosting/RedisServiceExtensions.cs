using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Hyperstore.Ledger.Scripts;
using StackExchange.Redis;

namespace Hyperstore.Api.Hosting;

public static class RedisServiceExtensions
{
    /// <summary>
    /// One multiplexed Redis connection for the process (<c>ConnectionStrings__Redis</c>), and the ledger's readers and writer on it.
    /// The connection is made in the background, so the service starts (and answers 503) while Redis is down.
    /// </summary>
    public static IHostApplicationBuilder AddHyperstoreRedis(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379";
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "hyperstore-api";

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        builder.Services.AddOptions<LedgerOptions>().BindConfiguration("Ledger")
            .Validate(o => o.IsValid, "Ledger:IdempotencyWindow must be between 00:00:01 and 3650.00:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new RedisLedger(sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LedgerOptions>>().Value));
        builder.Services.AddSingleton<EventStreamReader>();
        builder.Services.AddSingleton<ReadModelReader>();
        builder.Services.AddHostedService<ScriptLoader>();
        return builder;
    }
}

/// <summary>Loads the Lua scripts at start and again whenever the connection comes back (Redis may have restarted empty).</summary>
internal sealed partial class ScriptLoader(IConnectionMultiplexer redis, ILogger<ScriptLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnConnectionRestored;
        _ = LoadAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        return Task.CompletedTask;
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            await LedgerScripts.LoadAllAsync(redis);
            LogLoaded(logger, LedgerScripts.All.Count);
        }
        catch (RedisException e)
        {
            // Not fatal: every call falls back to EVAL when its script is missing.
            LogLoadFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} Lua script(s) into Redis")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load Lua scripts yet: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string reason);
}
