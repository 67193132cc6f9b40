using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Hyperstore.Api.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Hyperstore.Api.Auth;

/// <summary>
/// Validates a bearer token with OpenIddict once, then serves the validated identity from memory until the token
/// expires (at most <see cref="ValidatedTokenCache.MaxCacheTime"/>). A client sends the same token on thousands of requests; checking its
/// signature and claims on each one was the largest cost of a GET. Challenges and forbids go to OpenIddict, so the
/// answers (RFC 6750 <c>WWW-Authenticate</c>) are OpenIddict's own.
/// </summary>
public sealed class CachedBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ValidatedTokenCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HyperstoreBearer";

    /// <summary>
    /// A request's <c>Authorization</c> header as sent, if it carries a bearer token: the cache's key. Cutting the
    /// token out of it would allocate a copy of the token on every request (a kilobyte, a quarter of a GET's
    /// allocations); Kestrel hands the same header string to each request of a connection that repeats it.
    /// </summary>
    public static string? BearerCredentials(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        return authorization is not null && authorization.StartsWith(ValidatedTokenCache.Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var credentials = BearerCredentials(Request);
        if (credentials is not null && cache.TryGet(credentials, out var cached))
        {
            return AuthenticateResult.Success(cached);
        }

        await BearerAuthentication.EnsureValidationTransactionAsync(Context);
        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (credentials is not null && result.Succeeded && result.Properties.ExpiresUtc is { } expires)
        {
            cache.Add(credentials, new AuthenticationTicket(ValidatedTokenCache.Essentials(result.Principal), result.Properties, Scheme.Name), expires);
        }
        return result;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await BearerAuthentication.EnsureValidationTransactionAsync(Context);
        await Context.ChallengeAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, properties);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await BearerAuthentication.EnsureValidationTransactionAsync(Context);
        await Context.ForbidAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, properties);
    }

}

/// <summary>
/// Validated tokens by the <c>Authorization</c> header that carries them (<see cref="Scheme"/> and the token, as sent),
/// bounded in count; an entry is never served past its token's expiry, and a token nobody presents for
/// <see cref="IdleTime"/> is let go.
/// </summary>
public sealed class ValidatedTokenCache : IDisposable
{
    public const string Scheme = "Bearer ";

    public const int MaxEntries = 50_000;

    /// <summary>
    /// An identity is kept no longer than this even if its token lives longer, so that removing a signing key from
    /// the configuration takes effect within minutes for tokens already seen.
    /// </summary>
    public static readonly TimeSpan MaxCacheTime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A token in use comes back within seconds; one that does not (a one-use token, a client gone) only takes room.
    /// Keeping unused tokens until the cache was full made it refuse new ones while it made room, and each refused
    /// token was validated again on every use (see docs/performance.md). A token back after longer is validated once more.
    /// </summary>
    public static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock;
    private readonly MemoryCache _cache;
    private readonly PostEvictionDelegate _onEvicted;
    private long _hits;
    private long _misses;
    private long _dropped;

    public ValidatedTokenCache(TimeProvider? clock = null, IMeterFactory? meters = null)
    {
        _clock = clock ?? TimeProvider.System;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = MaxEntries,
            CompactionPercentage = 0.25,
            ExpirationScanFrequency = TimeSpan.FromSeconds(10),
            Clock = new TimeProviderClock(_clock),
        });
        _onEvicted = (_, _, reason, _) =>
        {
            if (reason == EvictionReason.Capacity)
            {
                Interlocked.Increment(ref _dropped);
            }
        };
        if (meters is null)
        {
            return;
        }

        var meter = meters.Create(StoreMetrics.MeterName);
        meter.CreateObservableGauge("hyperstore.auth.token_cache.entries", () => _cache.Count,
            description: "Validated access tokens held in memory.");
        meter.CreateObservableCounter("hyperstore.auth.token_cache.lookups", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _hits), new KeyValuePair<string, object?>("result", "hit")),
            new Measurement<long>(Interlocked.Read(ref _misses), new KeyValuePair<string, object?>("result", "miss")),
        }, description: "Bearer tokens looked up; a miss is validated by OpenIddict.");
        meter.CreateObservableCounter("hyperstore.auth.token_cache.dropped", () => Interlocked.Read(ref _dropped),
            description: "Tokens dropped because the cache was full; their next use is validated again.");
    }

    /// <summary>
    /// What the API reads of a token's identity (its subject, client and scopes), copied without the rest: OpenIddict's
    /// principal carries a dozen more claims, each with a dictionary of properties, about 1.6 KB per cached token, and
    /// a cached identity outlives a few collections, so it is copied into the oldest generation and dies there.
    /// </summary>
    public static ClaimsPrincipal Essentials(ClaimsPrincipal principal)
    {
        var source = principal.Identity as ClaimsIdentity;
        var identity = new ClaimsIdentity(source?.AuthenticationType, source?.NameClaimType ?? ClaimsIdentity.DefaultNameClaimType,
            source?.RoleClaimType ?? ClaimsIdentity.DefaultRoleClaimType);
        foreach (var claim in principal.Claims)
        {
            if (claim.Type is Claims.Subject or Claims.ClientId or Claims.Private.Scope)
            {
                identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer));
            }
        }
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The header a client sends with an access token, as the cache keys it.</summary>
    public static string CredentialsOf(string accessToken) => Scheme + accessToken;

    public bool TryGet(string credentials, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AuthenticationTicket? ticket)
    {
        if (_cache.TryGetValue(credentials, out ticket) && ticket is not null)
        {
            Interlocked.Increment(ref _hits);
            return true;
        }
        Interlocked.Increment(ref _misses);
        return false;
    }

    /// <summary>
    /// Keeps a validated ticket until its token <paramref name="expires"/>, no longer than <see cref="MaxCacheTime"/>
    /// from now, and while it is presented at least every <see cref="IdleTime"/>. When full, the cache drops
    /// low-priority entries first: tokens remembered at issue, which may never be used here, go before tokens that
    /// requests have presented.
    /// </summary>
    public void Add(string credentials, AuthenticationTicket ticket, DateTimeOffset expires, CacheItemPriority priority = CacheItemPriority.Normal)
    {
        var latest = _clock.GetUtcNow() + MaxCacheTime;
        _cache.Set(credentials, ticket, new MemoryCacheEntryOptions
        {
            AbsoluteExpiration = expires < latest ? expires : latest,
            SlidingExpiration = IdleTime,
            Size = 1,
            Priority = priority,
        }.RegisterPostEvictionCallback(_onEvicted));
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>The cache's clock: the application's, so that tests can move it.</summary>
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
