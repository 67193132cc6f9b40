using System.Globalization;
using System.Threading.RateLimiting;
using Hyperstore.Api.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Hyperstore.Api.Hosting;

/// <summary>Settings of the per-client rate limit (configuration section <c>RateLimiting</c>).</summary>
public sealed class RateLimitingOptions
{
    /// <summary>Requests per second each client may make on average; 0 turns the limit off.</summary>
    public int PermitsPerSecond { get; set; } = 20_000;

    /// <summary>How many requests a client may make in a burst above the average.</summary>
    public int Burst { get; set; } = 40_000;
}

public static class RateLimiting
{
    public const string PerClientPolicy = "per-client";

    /// <summary>A token bucket per client id (the token's subject), answering 429 with Retry-After when empty.</summary>
    public static IHostApplicationBuilder AddHyperstoreRateLimiting(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("RateLimiting").Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerClientPolicy, http =>
            {
                var client = http.User.FindFirst(Claims.Subject)?.Value;
                if (options.PermitsPerSecond <= 0 || client is null)
                {
                    // Unauthenticated requests are refused by authorization right after; they cost no bucket.
                    return RateLimitPartition.GetNoLimiter("none");
                }
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(options.Burst, 1),
                    TokensPerPeriod = options.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Type = ProblemTypes.RateLimited,
                        Title = "Too many requests.",
                        Detail = $"This client may make {options.PermitsPerSecond} requests per second. Retry after {retryAfter} s.",
                    },
                });
            };
        });
        return builder;
    }
}
