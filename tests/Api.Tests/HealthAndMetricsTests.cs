using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Hyperstore.Api.Hosting;
using Hyperstore.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>Health endpoints for the load balancer and the Prometheus scrape endpoint; none needs a token.</summary>
[Collection(ApiCollection.Name)]
public class HealthAndMetricsTests(ApiFixture api) : ApiTestBase(api)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task GetHealth_WhenRedisAnswers_Returns200Healthy(string path)
    {
        using var response = await Anonymous.GetAsync(new Uri(path, UriKind.Relative));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetMetrics_AfterRequests_ExposesHttpAndStoreCounters()
    {
        await SetStockAsync(1);
        // Counted on this host's own meter: other collections run hosts in parallel in this process, and the exported
        // text may show another host's instruments of the same name (OpenTelemetry keeps one stream per name).
        using var counts = new CommandCounts(Api.Factory.Services.GetRequiredService<IMeterFactory>());
        using (var bought = await BuyAsync())
        {
            await bought.AssertStatusAsync(HttpStatusCode.OK);
        }
        using (var refused = await BuyAsync())
        {
            await refused.AssertStatusAsync(HttpStatusCode.Conflict);
        }

        using var scrape = await Anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        await scrape.AssertStatusAsync(HttpStatusCode.OK);
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(1, counts.Of("buy", "applied"));
        Assert.Equal(1, counts.Of("buy", "sold-out"));
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE hyperstore_commands_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("hyperstore_auth_token_cache_lookups_total{", text, StringComparison.Ordinal);
        // The runtime's meter: scripts/bench.sh warms the API up until this counter stops growing.
        Assert.Contains("dotnet_jit_compiled_methods", text, StringComparison.Ordinal);
        // The framework's meters that record per request beyond the request itself are not listened to (hot path).
        Assert.DoesNotContain("aspnetcore_routing_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_rate_limiting_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_authorization_", text, StringComparison.Ordinal);
    }

    /// <summary>The store's command counter of one host (its <see cref="IMeterFactory"/>), by kind and outcome.</summary>
    private sealed class CommandCounts : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<(string Kind, string Outcome), long> _counts = new();

        public CommandCounts(IMeterFactory hostMeters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == StoreMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, hostMeters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? kind = null, outcome = null;
                foreach (var tag in tags)
                {
                    kind = tag.Key == "kind" ? tag.Value as string : kind;
                    outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
                }
                _counts.AddOrUpdate((kind ?? "", outcome ?? ""), value, (_, total) => total + value);
            });
            _listener.Start();
        }

        public long Of(string kind, string outcome) => _counts.GetValueOrDefault((kind, outcome));

        public void Dispose() => _listener.Dispose();
    }
}
