using System.Net;
using Hyperstore.Api.Store;
using Hyperstore.Api.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>How the store's routes answer: paths and methods it does not have get problem details of a stable type.</summary>
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
    public async Task StoreAnswers_AreSentWhole_WithTheirContentLength()
    {
        await SetStockAsync(10);

        using var bought = await BuyAsync();
        using var stock = await Reader.GetAsync(Http.Path("/api/hyper"));

        foreach (var response in new[] { bought, stock })
        {
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        }
    }

    [Theory]
    [InlineData("PUT", "/api/hyper/own", typeof(StoreApi.BuyResponse))]
    [InlineData("GET", "/api/hyper/", typeof(StoreApi.StockResponse))]
    [InlineData("GET", "/api/hyper/all", typeof(StoreApi.StockResponse[]))]
    [InlineData("POST", "/api/hyper/restock", typeof(StoreApi.StockChangeResponse))]
    public void StoreEndpoints_DescribeTheirAnswerForOpenApi(string method, string route, Type answer)
    {
        var endpoint = Api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.RoutePattern.RawText == route && e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Contains(method));

        var ok = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Single(m => m.StatusCode == StatusCodes.Status200OK);
        Assert.Equal(answer, ok.Type);
        Assert.Contains("application/json", ok.ContentTypes);
    }

    [Fact]
    public async Task OpenApiDocument_OutsideDevelopment_IsNotServed()
    {
        using var response = await Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
