using Hyperstore.Ledger.Scripts;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Hyperstore.Api.Hosting;

public static class HealthExtensions
{
    public static IHostApplicationBuilder AddHyperstoreHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ShutdownState>();
        builder.Services.AddHealthChecks()
            .AddCheck<ShutdownCheck>("shutdown", tags: ["ready"])
            .AddCheck<LedgerReadyCheck>("redis", tags: ["ready"]);
        return builder;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: Redis answers, scripts are loaded, not stopping.</summary>
    public static IEndpointRouteBuilder MapHyperstoreHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return endpoints;
    }
}

/// <summary>Set when the host begins to stop, so that the load balancer stops sending new requests at once.</summary>
public sealed class ShutdownState
{
    public ShutdownState(IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.Register(() => IsStopping = true);

    public bool IsStopping { get; private set; }
}

internal sealed class ShutdownCheck(ShutdownState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsStopping ? HealthCheckResult.Unhealthy("shutting down") : HealthCheckResult.Healthy());
}

internal sealed class LedgerReadyCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    // A load balancer's check times out after a few seconds; answer "unhealthy" before it does rather than hang on Redis.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis not connected");
        }
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(Budget, cancellationToken);
            if (!await LedgerScripts.Append.IsLoadedAsync(redis))
            {
                await LedgerScripts.LoadAllAsync(redis);
            }
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (RedisException e)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable: " + e.Message);
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis did not answer within {Budget.TotalSeconds:0} s");
        }
    }
}
