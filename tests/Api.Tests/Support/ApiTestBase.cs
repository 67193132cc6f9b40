using Xunit;

namespace Hyperstore.Api.Tests.Support;

/// <summary>Starts every test from an empty database with the standard clients registered.</summary>
public abstract class ApiTestBase(ApiFixture api) : IAsyncLifetime
{
    protected ApiFixture Api { get; } = api;

    protected HttpClient Shopper => Api.Client(TestClients.Shopper);
    protected HttpClient Operator => Api.Client(TestClients.Operator);
    protected HttpClient Auditor => Api.Client(TestClients.Auditor);
    protected HttpClient Reader => Api.Client(TestClients.Reader);
    protected HttpClient Anonymous => Api.Anonymous;

    public virtual Task InitializeAsync() => Api.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Sets a region's stock through the API (as the operator) and returns the answer.</summary>
    protected async Task<StockChangeAnswer> SetStockAsync(long quantity, string region = "eu")
    {
        using var response = await Operator.PostAsync(Http.Path("/api/hyper", region), Http.Json(new { quantity }));
        return await response.ReadAsync<StockChangeAnswer>();
    }

    protected Task<HttpResponseMessage> BuyAsync(object? body = null, string? region = null, string? idempotencyKey = null, HttpClient? client = null) =>
        (client ?? Shopper).SendAsync(Http.Request(HttpMethod.Put, Http.Path("/api/hyper/own", region),
            body is null ? null : Http.Json(body), idempotencyKey));

    /// <summary>Runs <paramref name="act"/> and checks that the ledger of <paramref name="region"/> is as it was.</summary>
    protected async Task AssertUnchangedAsync(Func<Task> act, string region = "eu")
    {
        var before = await Api.LedgerAsync(region);
        await act();
        Assert.Equal(before, await Api.LedgerAsync(region));
    }
}
