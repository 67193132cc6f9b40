using System.Globalization;
using System.Net;
using Hyperstore.Api.Tests.Support;
using Hyperstore.Testing;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>An API host that also listens on a port of its own for <c>/metrics</c>, as in production.</summary>
public sealed class MetricsPortApiFixture : ApiFixture
{
    public int MetricsPort { get; } = LoopbackPorts.Free();

    protected override IReadOnlyList<int> ExtraPorts => [MetricsPort];

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Hyperstore:MetricsPort", MetricsPort.ToString(CultureInfo.InvariantCulture))];
}

[CollectionDefinition(Name)]
public sealed class MetricsPortApiCollection : ICollectionFixture<MetricsPortApiFixture>
{
    public const string Name = "api-metrics-port";
}

/// <summary>The unauthenticated scrape endpoint answers only on the metrics port, which the load balancer does not forward.</summary>
[Collection(MetricsPortApiCollection.Name)]
public class MetricsPortTests(MetricsPortApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task GetMetrics_OnTheMetricsPort_Returns200()
    {
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.MetricsPort}") };

        using var response = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetrics_OnThePublicPort_Returns404()
    {
        using var response = await Anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("/api/hyper")]
    [InlineData("/health/live")]
    [InlineData("/oauth/token")]
    public async Task AnythingButMetrics_OnTheMetricsPort_Returns404(string path)
    {
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.MetricsPort}") };

        using var response = await scraper.GetAsync(new Uri(path, UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task GetHyper_OnThePublicPort_StillAnswers()
    {
        using var response = await Reader.GetAsync(Http.Path("/api/hyper"));

        await response.AssertStatusAsync(HttpStatusCode.OK);
    }
}
