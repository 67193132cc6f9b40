using System.Net;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>Paths and methods the API does not have still answer with problem details of a stable type.</summary>
[Collection(ApiCollection.Name)]
public class RoutingTests(ApiFixture api) : ApiTestBase(api)
{
    [Theory]
    [InlineData("/api/hypers")]
    [InlineData("/api/hyper/own/extra")]
    [InlineData("/")]
    public async Task UnknownPath_Returns404NotFound(string path)
    {
        using var response = await Reader.GetAsync(new Uri(path, UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("DELETE", "/api/hyper")]
    [InlineData("GET", "/api/hyper/own")]
    [InlineData("POST", "/api/hyper/own")]
    [InlineData("PUT", "/api/hyper/restock")]
    public async Task KnownPath_WithOtherMethod_Returns405MethodNotAllowed(string method, string path)
    {
        await SetStockAsync(10);

        await AssertUnchangedAsync(async () =>
        {
            using var response = await Shopper.SendAsync(Http.Request(new HttpMethod(method), new Uri(path, UriKind.Relative)));

            await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
            Assert.NotEmpty(response.Content.Headers.Allow);
        });
    }

    [Fact]
    public async Task OpenApiDocument_OutsideDevelopment_IsNotServed()
    {
        using var response = await Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
