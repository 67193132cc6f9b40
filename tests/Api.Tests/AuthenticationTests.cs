using System.Net;
using System.Net.Http.Headers;
using Hyperstore.Api.Auth;
using Hyperstore.Api.Tests.Support;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>Bearer tokens at the API (RFC 6750): 401 with <c>invalid_token</c> for a token that is not good, 403 with <c>insufficient_scope</c>.</summary>
[Collection(ApiCollection.Name)]
public class AuthenticationTests(ApiFixture api) : ApiTestBase(api)
{
    /// <summary>Every endpoint behind a token, with the scope it needs.</summary>
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/api/hyper", ApiScopes.Read },
        { "GET", "/api/hyper/all", ApiScopes.Read },
        { "GET", "/api/hyper/activity", ApiScopes.Read },
        { "PUT", "/api/hyper/own", ApiScopes.Buy },
        { "POST", "/api/hyper", ApiScopes.Stock },
        { "POST", "/api/hyper/restock", ApiScopes.Stock },
        { "GET", "/api/audit/events", ApiScopes.Audit },
        { "GET", "/api/audit/stock", ApiScopes.Audit },
        { "GET", "/api/audit/verify", ApiScopes.Audit },
    };

    private static HttpRequestMessage RequestTo(string method, string path, string? bearer)
    {
        var request = Http.Request(new HttpMethod(method), new Uri(path, UriKind.Relative),
            method == "GET" ? null : Http.Json(new { quantity = 1 }));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return request;
    }

    private async Task<HttpResponseMessage> GetStockWithTokenAsync(string token)
    {
        using var request = RequestTo("GET", "/api/hyper", token);
        return await Anonymous.SendAsync(request);
    }

    private static void AssertInvalidToken(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_token", response.BearerChallenge()["error"]);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnyEndpoint_WithoutToken_Returns401WithBearerChallenge(string method, string path, string scope)
    {
        _ = scope;
        await SetStockAsync(10);
        await AssertUnchangedAsync(async () =>
        {
            using var request = RequestTo(method, path, bearer: null);
            using var response = await Anonymous.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
            Assert.False(response.BearerChallenge().ContainsKey("error"));
        });
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AnyEndpoint_WithTokenLackingItsScope_Returns403InsufficientScope(string method, string path, string scope)
    {
        await SetStockAsync(10);
        var clientWithoutScope = scope == ApiScopes.Read ? null : TestClients.Scopes.First(c => !c.Value.Contains(scope)).Key;
        // Every client has "read"; a token limited to "buy" shows the read endpoints' refusal.
        var token = clientWithoutScope is null
            ? await Api.RequestTokenAsync(TestClients.Shopper, Api.SecretOf(TestClients.Shopper), "buy")
            : await Api.TokenAsync(clientWithoutScope);

        await AssertUnchangedAsync(async () =>
        {
            using var request = RequestTo(method, path, token);
            using var response = await Anonymous.SendAsync(request);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var challenge = response.BearerChallenge();
            Assert.Equal("insufficient_scope", challenge["error"]);
            Assert.Equal(scope, challenge["scope"]);
        });
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJzaG9wcGVyIn0.")]
    public async Task GetHyper_WithMalformedToken_Returns401InvalidToken(string token)
    {
        using var response = await GetStockWithTokenAsync(token);

        AssertInvalidToken(response);
    }

    [Fact]
    public async Task GetHyper_WithExpiredToken_Returns401InvalidToken()
    {
        var (header, payload) = Jwt.Decode(await Api.TokenAsync(TestClients.Reader));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // Re-signing with the real key and a future expiry is accepted, so the expiry alone makes the difference below.
        payload["iat"] = now - 10;
        payload["exp"] = now + 600;
        using var fresh = await GetStockWithTokenAsync(Jwt.Sign(header, payload, Api.SigningKeyPem));
        await fresh.AssertStatusAsync(HttpStatusCode.OK);

        payload["iat"] = now - 7200;
        payload["exp"] = now - 3600;
        using var response = await GetStockWithTokenAsync(Jwt.Sign(header, payload, Api.SigningKeyPem));

        AssertInvalidToken(response);
    }

    [Fact]
    public async Task GetHyper_WithTokenSignedByAnotherKey_Returns401InvalidToken()
    {
        var (header, payload) = Jwt.Decode(await Api.TokenAsync(TestClients.Reader));

        using var response = await GetStockWithTokenAsync(Jwt.Sign(header, payload, SigningKeys.NewRsaPem()));

        AssertInvalidToken(response);
    }

    [Fact]
    public async Task PutOwn_WithTokenWhosePayloadWasAltered_Returns401InvalidToken()
    {
        await SetStockAsync(10);
        var token = await Api.TokenAsync(TestClients.Reader);
        var payload = Jwt.Decode(token).Payload;
        payload["scope"] = "read buy stock audit";

        await AssertUnchangedAsync(async () =>
        {
            using var request = RequestTo("PUT", "/api/hyper/own", Jwt.WithPayload(token, payload));
            using var response = await Anonymous.SendAsync(request);

            AssertInvalidToken(response);
        });
    }

    [Fact]
    public async Task GetHyper_WithTokenOfAnotherIssuer_Returns401InvalidToken()
    {
        var (header, payload) = Jwt.Decode(await Api.TokenAsync(TestClients.Reader));
        payload["iss"] = "https://someone-else.example/";

        using var response = await GetStockWithTokenAsync(Jwt.Sign(header, payload, Api.SigningKeyPem));

        AssertInvalidToken(response);
    }

    [Fact]
    public async Task GetHyper_WithIdentityTokenType_Returns401InvalidToken()
    {
        var (header, payload) = Jwt.Decode(await Api.TokenAsync(TestClients.Reader));
        header["typ"] = "JWT";

        using var response = await GetStockWithTokenAsync(Jwt.Sign(header, payload, Api.SigningKeyPem));

        AssertInvalidToken(response);
    }

    [Fact]
    public async Task GetHyper_WithBasicCredentialsInsteadOfToken_Returns401()
    {
        using var request = RequestTo("GET", "/api/hyper", bearer: null);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TestClients.Reader}:{Api.SecretOf(TestClients.Reader)}")));

        using var response = await Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.BearerChallenge().ContainsKey("error"));
    }

    [Fact]
    public async Task GetHyper_WithTokenOfRemovedClient_StillWorksUntilItExpires()
    {
        var token = await Api.RequestTokenAsync(TestClients.Reader, Api.SecretOf(TestClients.Reader), scope: null);
        await new ClientStore(Api.Redis).RemoveAsync(TestClients.Reader);

        using var response = await GetStockWithTokenAsync(token);

        // Tokens are validated locally (signature, issuer, expiry); removing a client stops new tokens, not issued ones.
        await response.AssertStatusAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("bearer ")]
    [InlineData("BEARER ")]
    public async Task GetHyper_WithTheSchemeInAnotherCase_IsValidatedAndAnswered(string scheme)
    {
        // The validated-token cache keys a token by the header as sent; another spelling of the scheme misses it and is
        // validated by OpenIddict, which accepts it (RFC 9110: the scheme is case-insensitive). Twice: then from the cache.
        var token = await Api.RequestTokenAsync(TestClients.Reader, Api.SecretOf(TestClients.Reader), scope: null);
        for (int i = 0; i < 2; i++)
        {
            using var request = RequestTo("GET", "/api/hyper", bearer: null);
            request.Headers.TryAddWithoutValidation("Authorization", scheme + token);

            using var response = await Anonymous.SendAsync(request);

            await response.AssertStatusAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task GetHyper_WithWrongScheme_Returns401()
    {
        using var request = RequestTo("GET", "/api/hyper", bearer: null);
        request.Headers.TryAddWithoutValidation("Authorization", "Token " + await Api.TokenAsync(TestClients.Reader));

        using var response = await Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.BearerChallenge().ContainsKey("error"));
    }
}
