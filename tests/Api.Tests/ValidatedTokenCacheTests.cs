using System.Diagnostics.Metrics;
using System.Security.Claims;
using Hyperstore.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Hyperstore.Api.Tests;

public class ValidatedTokenCacheTests
{
    // The cache also expires entries by the real clock, so the times here are around now.
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static AuthenticationTicket Ticket() =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "shopper")], "test")), CachedBearerHandler.SchemeName);

    [Fact]
    public void TryGet_BeforeTheTokenExpires_ReturnsTheValidatedTicket()
    {
        using var cache = new ValidatedTokenCache();
        var ticket = Ticket();
        cache.Add("token-a", ticket, Now.AddMinutes(1), Now);

        Assert.True(cache.TryGet("token-a", Now.AddSeconds(59), out var cached));
        Assert.Same(ticket, cached);
        Assert.False(cache.TryGet("token-b", Now, out _));
    }

    [Fact]
    public void TryGet_AtOrAfterExpiry_ReturnsNothing()
    {
        using var cache = new ValidatedTokenCache();
        cache.Add("token-a", Ticket(), Now.AddMinutes(1), Now);

        Assert.False(cache.TryGet("token-a", Now.AddMinutes(1), out _));
        Assert.False(cache.TryGet("token-a", Now.AddHours(1), out _));
    }

    [Fact]
    public async Task Metrics_CountHitsMisses_AndTheTokensDroppedWhenFull()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var cache = new ValidatedTokenCache(meters);
        using var readings = new Readings(meters);
        cache.Add("token-a", Ticket(), Now.AddMinutes(1), Now);

        cache.TryGet("token-a", Now, out _);
        cache.TryGet("token-a", Now, out _);
        cache.TryGet("token-b", Now, out _);
        for (int i = 0; i <= ValidatedTokenCache.MaxEntries; i++)
        {
            cache.Add($"filler-{i}", Ticket(), Now.AddMinutes(1), Now, Microsoft.Extensions.Caching.Memory.CacheItemPriority.Low);
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
