using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Hyperstore.Ledger.Scripts;
using Hyperstore.Projector;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

var builder = WebApplication.CreateSlimBuilder(args);
if (args is ["rebuild", .. var rebuildArgs])
{
    return await RebuildCommandLine.RunAsync(rebuildArgs, builder.Configuration);
}

builder.Services.AddOptions<ProjectorOptions>().BindConfiguration("Projector")
    .Validate(o => o.BatchSize is >= 1 and <= 5000, "Projector:BatchSize must be 1..5000.")
    .Validate(o => o.ActivityCap is >= 1 and <= 10_000, "Projector:ActivityCap must be 1..10000.")
    .Validate(o => o.LeaseRenewInterval < o.LeaseDuration, "Projector:LeaseRenewInterval must be shorter than LeaseDuration.")
    .Validate(o => o.ReadBlock < o.LeaseDuration, "Projector:ReadBlock must be shorter than LeaseDuration.")
    .ValidateOnStart();
var projectorUrls = builder.Configuration["Projector:Urls"] ?? new ProjectorOptions().Urls;
builder.WebHost.UseUrls(projectorUrls);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
if (!builder.Environment.IsDevelopment())
{
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
}

var redisConfiguration = ConfigurationOptions.Parse(builder.Configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379");
redisConfiguration.AbortOnConnectFail = false;
redisConfiguration.ClientName ??= "hyperstore-projector";
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisConfiguration));
builder.Services.AddSingleton(RegionList.From(builder.Configuration));
builder.Services.AddSingleton<ProjectorMetrics>();
builder.Services.AddHostedService<ProjectionWorker>();
builder.Services.AddHostedService<LagMonitor>();
builder.Services.AddHealthChecks().AddCheck<ProjectorReadyCheck>("projection", tags: ["ready"]);
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ProjectorMetrics.MeterName, "System.Runtime").AddPrometheusExporter());

var app = builder.Build();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResponseWriter = ProjectorReadyCheck.WriteResponseAsync,
});
app.MapPrometheusScrapingEndpoint("/metrics");

// Load the scripts before the first batch; calls fall back to EVAL anyway if Redis lost them.
try
{
    await LedgerScripts.LoadAllAsync(app.Services.GetRequiredService<IConnectionMultiplexer>());
}
catch (RedisException)
{
    // Redis not there yet: the worker retries.
}

await app.RunAsync();
return Environment.ExitCode;
