using System.Net;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>An API host whose clients may make 1 request per second with a burst of 3.</summary>
public sealed class RateLimitedApiFixture : ApiFixture
{
    public const int Burst = 3;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("RateLimiting:PermitsPerSecond", "1"),
        new("RateLimiting:Burst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

[CollectionDefinition(Name)]
public sealed class RateLimitedApiCollection : ICollectionFixture<RateLimitedApiFixture>
{
    public const string Name = "api-rate-limited";
}

/// <summary>
/// The per-client token bucket: a 429 problem with Retry-After once a client's burst is spent; other clients are not affected.
/// Buckets live in the host's memory, so every test uses clients of its own.
/// </summary>
[Collection(RateLimitedApiCollection.Name)]
public class RateLimitingTests(RateLimitedApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task GetHyper_AfterBurstIsSpent_Returns429WithRetryAfter()
    {
        using var client = await Api.NewClientAsync("read");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;

        for (var i = 0; i < RateLimitedApiFixture.Burst + 3 && limited is null; i++)
        {
            var response = await client.GetAsync(Http.Path("/api/hyper"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.True(limited is not null, $"no 429 in: {string.Join(", ", statuses)}");
        using (limited)
        {
            Assert.All(statuses.Take(RateLimitedApiFixture.Burst), s => Assert.Equal(HttpStatusCode.OK, s));
            var problem = await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
            Assert.InRange(limited.RetryAfterSeconds(), 1, 2);
            Assert.Contains("1 requests per second", problem.Detail(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PutOwn_WhenRateLimited_ChangesNothing()
    {
        await SetStockAsync(10);
        for (var attempt = 1; ; attempt++)
        {
            using var client = await Api.NewClientAsync("read", "buy");
            await SpendBurstAsync(client);
            var before = await Api.LedgerAsync("eu");

            using var response = await client.PutAsync(Http.Path("/api/hyper/own"), null);

            // The bucket gets its next permit once a second; on a slow machine that can fall between the spent burst
            // and the PUT, which is then rightly served. A new client, at most twice more.
            if (response.StatusCode == HttpStatusCode.TooManyRequests || attempt == 3)
            {
                await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
                Assert.Equal(before, await Api.LedgerAsync("eu"));
                return;
            }
        }
    }

    [Fact]
    public async Task GetHyper_WhenAnotherClientIsLimited_StillAnswers()
    {
        using var limited = await Api.NewClientAsync("read");
        using var other = await Api.NewClientAsync("read");
        await SpendBurstAsync(limited);

        using var response = await other.GetAsync(Http.Path("/api/hyper"));

        await response.AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PostToken_IsNotLimitedByTheApisBucket()
    {
        for (var i = 0; i < RateLimitedApiFixture.Burst + 3; i++)
        {
            var token = await Api.RequestTokenAsync(TestClients.Reader, Api.SecretOf(TestClients.Reader), scope: null);
            Assert.False(string.IsNullOrEmpty(token));
        }
    }

    [Fact]
    public async Task GetHyper_AfterRetryAfter_AnswersAgain()
    {
        using var client = await Api.NewClientAsync("read");
        var retryAfter = await SpendBurstAsync(client);

        await Task.Delay(TimeSpan.FromSeconds(retryAfter) + TimeSpan.FromMilliseconds(100));
        var response = await client.GetAsync(Http.Path("/api/hyper"));
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // The bucket is refilled by a timer, not at the instant Retry-After names; on a busy machine the refill came
            // later than that (seen once in CI). One more period (1 s here), once, not more.
            response.Dispose();
            await Task.Delay(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(100));
            response = await client.GetAsync(Http.Path("/api/hyper"));
        }

        using (response)
        {
            await response.AssertStatusAsync(HttpStatusCode.OK);
        }
    }

    /// <summary>Sends reads until one is refused (bounded) and returns its Retry-After.</summary>
    private static async Task<int> SpendBurstAsync(HttpClient client)
    {
        for (var i = 0; i < RateLimitedApiFixture.Burst + 10; i++)
        {
            using var response = await client.GetAsync(Http.Path("/api/hyper"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return response.RetryAfterSeconds();
            }
        }
        throw new InvalidOperationException("The rate limit never refused a request.");
    }
}
