using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Hyperstore.Api.Problems;
using Hyperstore.Ledger;
using Hyperstore.Ledger.Audit;
using Hyperstore.Ledger.ReadModel;
using Mediator;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Hyperstore.Api.Hosting;

public static class ApiServiceExtensions
{
    public const long MaxRequestBodyBytes = 16 * 1024;

    /// <summary>Options, mediator with validation, strict JSON, problem details and request limits.</summary>
    public static IHostApplicationBuilder AddHyperstoreStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HyperstoreOptions>().BindConfiguration("Hyperstore")
            .PostConfigure(o => o.Regions = RegionList(builder.Configuration["Hyperstore:Regions"], o.Regions))
            .Validate(o => o.Regions.Length > 0 && o.Regions.All(r => Domain.Values.Region.TryParse(r, out _, out _)),
                "Hyperstore:Regions must list valid region names.")
            .Validate(o => o.IsKnownRegion(o.Region), "Hyperstore:Region must be one of Hyperstore:Regions.")
            .Validate(o => o.MaxBuyQuantity >= 1, "Hyperstore:MaxBuyQuantity must be at least 1.")
            .Validate(o => o.MetricsPort is null or (> 0 and <= 65535), "Hyperstore:MetricsPort must be a TCP port (1-65535).")
            .Validate(o => o.ListenBacklog is >= 1 and <= 65535, "Hyperstore:ListenBacklog must be 1..65535.")
            .ValidateOnStart();
        builder.Services.AddOptions<SocketTransportOptions>()
            .Configure<IOptions<HyperstoreOptions>>((socket, store) =>
            {
                socket.Backlog = store.Value.ListenBacklog;
                socket.UnsafePreferInlineScheduling = store.Value.InlineScheduling;
            });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Snapshots>();
        builder.Services.AddSingleton<LedgerAuditor>();
        builder.Services.AddSingleton(sp => new LiveStockViews(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
            sp.GetRequiredService<ReadModelReader>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HyperstoreOptions>>().Value.Regions.Select(Domain.Values.Region.Parse),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<LiveStockViewsRefresher>();

        builder.Services.AddMediator((MediatorOptions options) =>
        {
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
        builder.Services.AddValidatorsFromAssemblyContaining<HyperstoreOptions>(ServiceLifetime.Singleton);

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            // Wrong types, unknown fields and numbers in strings are the caller's mistakes, not something to guess at.
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, Store.StoreJsonContext.Default);
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Answers written by the framework itself (no body bound, no route) get our stable types too.
            context.ProblemDetails.Type = context.ProblemDetails.Status switch
            {
                StatusCodes.Status415UnsupportedMediaType => ProblemTypes.UnsupportedMediaType,
                // Kestrel refuses a body over the limit while it is read; the answer arrives here, not in the exception handler.
                StatusCodes.Status413PayloadTooLarge => ProblemTypes.PayloadTooLarge,
                StatusCodes.Status404NotFound => ProblemTypes.NotFound,
                StatusCodes.Status405MethodNotAllowed => ProblemTypes.MethodNotAllowed,
                _ => context.ProblemDetails.Type,
            };
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail ??= "Send the body as application/json.";
            }
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge)
            {
                context.ProblemDetails.Detail ??= $"The request body may be at most {MaxRequestBodyBytes} bytes.";
            }
        });
        builder.Services.AddExceptionHandler<HyperstoreExceptionHandler>();
        builder.Services.AddOpenApi();

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = builder.Configuration.GetValue("Hyperstore:ShutdownTimeout", TimeSpan.FromSeconds(20)));
        return builder;
    }

    /// <summary>
    /// Prometheus's <c>/metrics</c>, without authentication (scrapers carry no token). With <c>Hyperstore:MetricsPort</c>
    /// set, it answers only to connections made to that port; on any other port <c>/metrics</c> is not found.
    /// </summary>
    public static WebApplication UseHyperstoreMetricsEndpoint(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<IOptions<HyperstoreOptions>>().Value.MetricsPort;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == "/metrics" && (port is null || context.Connection.LocalPort == port));
        if (port is not null)
        {
            // The metrics port serves /metrics alone: the store's routes, its token endpoint and its health answer 404
            // there, so opening that port to scrapers opens nothing else.
            app.Use((context, next) =>
            {
                if (context.Connection.LocalPort != port)
                {
                    return next(context);
                }
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
            app.Lifetime.ApplicationStarted.Register(() => WarnIfNotListening(app, port.Value));
        }
        return app;
    }

    /// <summary>A metrics port Kestrel does not listen on would make /metrics a 404 everywhere, silently.</summary>
    private static void WarnIfNotListening(WebApplication app, int port)
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        if (!addresses.Any(address => Microsoft.AspNetCore.Http.BindingAddress.Parse(address).Port == port))
        {
            app.Logger.LogWarning(
                "Hyperstore:MetricsPort is {Port}, but the API does not listen there ({Addresses}): /metrics answers nowhere. Add it to ASPNETCORE_URLS.",
                port, string.Join(", ", addresses));
        }
    }

    /// <summary>A single configuration value "eu,na,sa" (an environment variable) or the bound array.</summary>
    private static string[] RegionList(string? commaSeparated, string[] bound)
    {
        var regions = string.IsNullOrWhiteSpace(commaSeparated)
            ? bound
            : commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return regions.Length == 0 ? HyperstoreOptions.DefaultRegions : [.. regions.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>ASP.NET Core's meters that /metrics exports: <c>http.server.*</c> and <c>kestrel.*</c>.</summary>
    public static readonly string[] AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>Metrics (Prometheus scrape endpoint), traces (OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), JSON logs outside Development.</summary>
    public static IHostApplicationBuilder AddHyperstoreTelemetry(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
        // Hosting opens a logging scope for every request while this category logs at any level, although our console
        // writes no scopes. The scope sets an AsyncLocal, so every await of the request then carries an ExecutionContext.
        // This category only logs request starts and ends (Information, off anyway) and startup failures, which also end
        // the process with the exception on stderr.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                // The HTTP request and connection metrics only. AddAspNetCoreInstrumentation() listens to every built-in
                // ASP.NET Core meter, and routing, rate limiting and authorisation each record per request: together
                // 3.5 % of the GET's CPU (perf), for figures the request metrics already break down by route and status.
                .AddMeter(AspNetCoreMeters)
                .AddMeter(StoreMetrics.MeterName)
                // The runtime's own meter (GC, JIT, thread pool): observable instruments only, read at each scrape.
                .AddMeter(RuntimeMeter)
                .AddPrometheusExporter());
        builder.Services.AddSingleton<StoreMetrics>();
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddOtlpExporter());
        }
        return builder;
    }
}
