using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>Health endpoints for the load balancer and the Prometheus scrape endpoint; none needs a token.</summary>
[Collection(ApiCollection.Name)]
public partial class HealthAndMetricsTests(ApiFixture api) : ApiTestBase(api)
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
        // The exporter caches a scrape briefly: wait until it shows every earlier command before counting from it.
        var (before, soldOutBefore) = await SettledCountsAsync();
        using (var bought = await BuyAsync())
        {
            await bought.AssertStatusAsync(HttpStatusCode.OK);
        }
        using (var refused = await BuyAsync())
        {
            await refused.AssertStatusAsync(HttpStatusCode.Conflict);
        }

        // Other collections run hosts in parallel in this process, and meter listeners see every host's meter of the
        // same name: count "at least one more", not "exactly one more".
        for (var attempt = 0; attempt < 50 && (await CommandCountAsync("buy", "applied") < before + 1
                 || await CommandCountAsync("buy", "sold-out") < soldOutBefore + 1); attempt++)
        {
            await Task.Delay(100);
        }
        // Only this API's own meters are asserted: the ASP.NET Core HTTP instruments of several hosts in one test process
        // share a name, and OpenTelemetry exports the first host's only (in production there is one host per process).
        using var scrape = await Anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        await scrape.AssertStatusAsync(HttpStatusCode.OK);
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE hyperstore_commands_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        // The framework's meters that record per request beyond the request itself are not listened to (hot path).
        Assert.DoesNotContain("aspnetcore_routing_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_rate_limiting_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_authorization_", text, StringComparison.Ordinal);
        Assert.True(await CommandCountAsync("buy", "applied") >= before + 1, "no applied buy counted");
        Assert.True(await CommandCountAsync("buy", "sold-out") >= soldOutBefore + 1, "no sold-out buy counted");
    }

    private async Task<(long Applied, long SoldOut)> SettledCountsAsync()
    {
        var last = (-1L, -1L);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var counts = (await CommandCountAsync("buy", "applied"), await CommandCountAsync("buy", "sold-out"));
            if (counts == last)
            {
                return counts;
            }
            last = counts;
            await Task.Delay(400);
        }
        return last;
    }

    private async Task<long> CommandCountAsync(string kind, string outcome)
    {
        using var response = await Anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return CommandCounter().Matches(text)
            .Where(m => m.Groups["labels"].Value.Contains($"kind=\"{kind}\"", StringComparison.Ordinal)
                && m.Groups["labels"].Value.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal))
            .Sum(m => long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^hyperstore_commands_total\{(?<labels>[^}]*)\} (?<value>\d+)", RegexOptions.Multiline)]
    private static partial Regex CommandCounter();
}
