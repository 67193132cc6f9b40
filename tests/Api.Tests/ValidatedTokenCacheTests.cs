using System.Diagnostics.Metrics;
using System.Security.Claims;
using Hyperstore.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Hyperstore.Api.Tests;

public class ValidatedTokenCacheTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    private static AuthenticationTicket Ticket() =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "shopper")], "test")), CachedBearerHandler.SchemeName);

    [Fact]
    public void TryGet_BeforeTheTokenExpires_ReturnsTheValidatedTicket()
    {
        using var cache = new ValidatedTokenCache(_clock);
        var ticket = Ticket();
        cache.Add("token-a", ticket, _clock.GetUtcNow().AddMinutes(1));

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(cache.TryGet("token-a", out var cached));
        Assert.Same(ticket, cached);
        Assert.False(cache.TryGet("token-b", out _));
    }

    [Fact]
    public void TryGet_AtOrAfterExpiry_ReturnsNothing()
    {
        using var cache = new ValidatedTokenCache(_clock);
        cache.Add("token-a", Ticket(), _clock.GetUtcNow().AddSeconds(20));

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(cache.TryGet("token-a", out _));
    }

    [Fact]
    public void ATokenPresentedWithinTheIdleTime_StaysUntilTheCachesLimit_ThenGoes()
    {
        using var cache = new ValidatedTokenCache(_clock);
        cache.Add("token-a", Ticket(), _clock.GetUtcNow().AddHours(1));
        var step = ValidatedTokenCache.IdleTime / 2;

        for (var kept = TimeSpan.Zero; kept + step < ValidatedTokenCache.MaxCacheTime; kept += step)
        {
            _clock.Advance(step);
            Assert.True(cache.TryGet("token-a", out _), $"dropped after {kept + step}");
        }
        _clock.Advance(step);
        Assert.False(cache.TryGet("token-a", out _));
    }

    [Fact]
    public void ATokenNotPresentedForTheIdleTime_IsLetGo()
    {
        using var cache = new ValidatedTokenCache(_clock);
        cache.Add("used-once", Ticket(), _clock.GetUtcNow().AddHours(1));
        cache.Add("in-use", Ticket(), _clock.GetUtcNow().AddHours(1));
        Assert.True(cache.TryGet("used-once", out _));

        _clock.Advance(ValidatedTokenCache.IdleTime - TimeSpan.FromSeconds(1));
        Assert.True(cache.TryGet("in-use", out _));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(cache.TryGet("used-once", out _));
        Assert.True(cache.TryGet("in-use", out _));
    }

    [Fact]
    public async Task Metrics_CountHitsMisses_AndTheTokensDroppedWhenFull()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var cache = new ValidatedTokenCache(_clock, meters);
        using var readings = new Readings(meters);
        var expires = _clock.GetUtcNow().AddMinutes(1);
        cache.Add("token-a", Ticket(), expires);

        cache.TryGet("token-a", out _);
        cache.TryGet("token-a", out _);
        cache.TryGet("token-b", out _);
        for (int i = 0; i <= ValidatedTokenCache.MaxEntries; i++)
        {
            cache.Add($"filler-{i}", Ticket(), expires, Microsoft.Extensions.Caching.Memory.CacheItemPriority.Low);
        }
        // The cache makes room on the thread pool; wait for it, boundedly.
        for (int i = 0; i < 100 && readings.Of("hyperstore.auth.token_cache.dropped") == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, readings.Of("hyperstore.auth.token_cache.lookups", "hit"));
        Assert.Equal(1, readings.Of("hyperstore.auth.token_cache.lookups", "miss"));
        Assert.True(readings.Of("hyperstore.auth.token_cache.dropped") > 0);
        Assert.InRange(readings.Of("hyperstore.auth.token_cache.entries"), 1, ValidatedTokenCache.MaxEntries);
    }

    [Fact]
    public void Essentials_KeepSubjectClientAndScopes_WithoutTheOtherClaimsOrTheirProperties()
    {
        var identity = new ClaimsIdentity("Bearer", "name", "role");
        foreach (var (type, value) in new[] { ("sub", "shopper"), ("client_id", "shopper"), ("oi_scp", "read"), ("oi_scp", "buy"), ("oi_tkn_id", "t1"), ("iss", "https://hyperstore.test/") })
        {
            var claim = new Claim(type, value);
            claim.Properties["oi_cl_dstn"] = "[\"access_token\"]";
            identity.AddClaim(claim);
        }

        var essentials = ValidatedTokenCache.Essentials(new ClaimsPrincipal(identity));

        Assert.True(essentials.Identity!.IsAuthenticated);
        Assert.Equal(["sub=shopper", "client_id=shopper", "oi_scp=read", "oi_scp=buy"], essentials.Claims.Select(c => $"{c.Type}={c.Value}"));
        Assert.All(essentials.Claims, claim => Assert.Empty(claim.Properties));
        Assert.True(OpenIddict.Abstractions.OpenIddictExtensions.HasScope(essentials, "buy"));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>The latest value of each observable instrument of one meter factory, by name and <c>result</c> tag.</summary>
    private sealed class Readings : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<(string Name, string? Result), long> _values = [];

        public Readings(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                string? result = null;
                foreach (var tag in tags)
                {
                    result = tag.Key == "result" ? tag.Value as string : result;
                }
                _values[(instrument.Name, result)] = value;
            });
            _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _values[(instrument.Name, null)] = value);
            _listener.Start();
        }

        public long Of(string name, string? result = null)
        {
            _listener.RecordObservableInstruments();
            return _values.GetValueOrDefault((name, result));
        }

        public void Dispose() => _listener.Dispose();
    }
}
