using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hyperstore.Api.Auth;
using Hyperstore.Api.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary><c>POST /oauth/token</c>: the client credentials grant (RFC 6749 §4.4) and its errors (§5.2).</summary>
[Collection(ApiCollection.Name)]
public class TokenEndpointTests(ApiFixture api) : ApiTestBase(api)
{
    private static readonly Uri TokenPath = new("/oauth/token", UriKind.Relative);

    private Task<HttpResponseMessage> PostTokenAsync(Dictionary<string, string> form, string? basicCredentials = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TokenPath) { Content = new FormUrlEncodedContent(form) };
        if (basicCredentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basicCredentials)));
        }
        return Anonymous.SendAsync(request);
    }

    private Dictionary<string, string> Credentials(string clientId, string? secret = null, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret ?? Api.SecretOf(clientId),
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return form;
    }

    private static async Task<JsonElement> AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        await response.AssertStatusAsync(status);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error_description").GetString()));
        Assert.False(body.TryGetProperty("access_token", out _));
        return body;
    }

    [Fact]
    public async Task PostToken_WithClientSecretPost_ReturnsBearerTokenWithTheClientsScopes()
    {
        using var response = await PostTokenAsync(Credentials(TestClients.Shopper));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "RFC 6749 §5.1: token responses must not be stored.");
        Assert.DoesNotContain('\n', await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 3500, 3600);
        Assert.Equal("read buy", body.GetProperty("scope").GetString());

        var (header, payload) = Jwt.Decode(body.GetProperty("access_token").GetString()!);
        Assert.Equal("RS256", (string?)header["alg"]);
        Assert.Equal("at+jwt", (string?)header["typ"]);
        Assert.Equal(ApiFixture.Issuer, (string?)payload["iss"]);
        Assert.Equal(TestClients.Shopper, (string?)payload["sub"]);
        Assert.Equal(TestClients.Shopper, (string?)payload["client_id"]);
        Assert.Equal("read buy", (string?)payload["scope"]);
        Assert.Equal(3600, (long)payload["exp"]! - (long)payload["iat"]!);
    }

    [Fact]
    public async Task PostToken_WithHttpBasic_ReturnsBearerToken()
    {
        using var response = await PostTokenAsync(new() { ["grant_type"] = "client_credentials" },
            $"{TestClients.Operator}:{Api.SecretOf(TestClients.Operator)}");

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("read stock", body.GetProperty("scope").GetString());
        Assert.Equal(TestClients.Operator, (string?)Jwt.Decode(body.GetProperty("access_token").GetString()!).Payload["sub"]);
    }

    [Fact]
    public async Task PostToken_WithNarrowerScope_IssuesATokenLimitedToIt()
    {
        using var response = await PostTokenAsync(Credentials(TestClients.Shopper, scope: "read"));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        // RFC 6749 §5.1: "scope" may be left out of the answer when it is what was asked for; the token carries it.
        Assert.Equal("read", (string?)Jwt.Decode(body.GetProperty("access_token").GetString()!).Payload["scope"]);
        using var buy = Http.Request(HttpMethod.Put, Http.Path("/api/hyper/own"));
        buy.Headers.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        using var refused = await Anonymous.SendAsync(buy);
        await refused.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("buy", refused.BearerChallenge()["scope"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PostToken_WithWrongSecret_Returns401InvalidClient(bool httpBasic)
    {
        using var response = httpBasic
            ? await PostTokenAsync(new() { ["grant_type"] = "client_credentials" }, $"{TestClients.Shopper}:not-the-secret")
            : await PostTokenAsync(Credentials(TestClients.Shopper, secret: "not-the-secret"));

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Basic");
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("not a valid id!")]
    public async Task PostToken_ForUnknownClient_Returns401InvalidClient(string clientId)
    {
        using var response = await PostTokenAsync(Credentials(clientId, secret: Api.SecretOf(TestClients.Shopper)));

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task PostToken_WithAnotherClientsSecret_Returns401InvalidClient()
    {
        using var response = await PostTokenAsync(Credentials(TestClients.Auditor, secret: Api.SecretOf(TestClients.Shopper)));

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task PostToken_RightAfterTheClientGotANewSecretAndScope_AcceptsThem()
    {
        // The API remembers a client it found for a few seconds; a refusal by that memory is checked against Redis first.
        var clientId = "renewed-" + Guid.NewGuid().ToString("N");
        var clients = new ClientStore(Api.Redis);
        var secret = await clients.SaveAsync(clientId, [ApiScopes.Read], replace: false);
        using (var first = await PostTokenAsync(Credentials(clientId, secret)))
        {
            await first.AssertStatusAsync(HttpStatusCode.OK);
        }

        var renewed = await clients.SaveAsync(clientId, [ApiScopes.Read, ApiScopes.Stock], replace: true);
        using var response = await PostTokenAsync(Credentials(clientId, renewed, scope: "stock"));

        await response.AssertStatusAsync(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("stock", (string?)Jwt.Decode(body.GetProperty("access_token").GetString()!).Payload["scope"]);
    }

    [Theory]
    [InlineData("stock")]
    [InlineData("read audit")]
    [InlineData("admin")]
    public async Task PostToken_WithScopeTheClientLacks_Returns400InvalidScope(string scope)
    {
        using var response = await PostTokenAsync(Credentials(TestClients.Shopper, scope: scope));

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Theory]
    [InlineData("password")]
    [InlineData("authorization_code")]
    [InlineData("refresh_token")]
    [InlineData("made_up")]
    public async Task PostToken_WithOtherGrantType_Returns400UnsupportedGrantType(string grantType)
    {
        var form = Credentials(TestClients.Shopper);
        form["grant_type"] = grantType;

        using var response = await PostTokenAsync(form);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Theory]
    [InlineData("grant_type")]
    [InlineData("client_id")]
    [InlineData("client_secret")]
    public async Task PostToken_WithMissingField_Returns400InvalidRequest(string field)
    {
        var form = Credentials(TestClients.Shopper);
        form.Remove(field);

        using var response = await PostTokenAsync(form);

        var body = await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains($"'{field}'", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostToken_WithCredentialsBothInBodyAndBasic_Returns400InvalidRequest()
    {
        using var response = await PostTokenAsync(Credentials(TestClients.Shopper), $"{TestClients.Shopper}:{Api.SecretOf(TestClients.Shopper)}");

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task PostToken_WithJsonBody_Returns400InvalidRequest()
    {
        using var response = await Anonymous.PostAsync(TokenPath, Http.Json(Credentials(TestClients.Shopper)));

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task GetToken_Returns400InvalidRequest()
    {
        using var response = await Anonymous.GetAsync(TokenPath);

        await AssertOAuthErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task PostToken_RemembersTheIssuedTokenAsValidated_WithItsSubjectScopesAndExpiry()
    {
        var token = await Api.RequestTokenAsync(TestClients.Reader, Api.SecretOf(TestClients.Reader), scope: "read");
        var cache = Api.Factory.Services.GetRequiredService<Hyperstore.Api.Auth.ValidatedTokenCache>();

        Assert.True(cache.TryGet(Hyperstore.Api.Auth.ValidatedTokenCache.CredentialsOf(token), out var ticket));
        Assert.Equal(TestClients.Reader, ticket.Principal.FindFirst(OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject)?.Value);
        Assert.True(OpenIddict.Abstractions.OpenIddictExtensions.HasScope(ticket.Principal, "read"));
        Assert.False(OpenIddict.Abstractions.OpenIddictExtensions.HasScope(ticket.Principal, "buy"));
        Assert.True(ticket.Principal.Identity!.IsAuthenticated);
        Assert.InRange(ticket.Properties.ExpiresUtc!.Value, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task PostToken_IssuesATokenThatOpenIddictValidationAccepts_WithTheSameSubjectAndScopes()
    {
        // Requests on this instance take the remembered ticket; another instance validates the token itself. That
        // validation must accept it and find what the ticket holds.
        var token = await Api.RequestTokenAsync(TestClients.Shopper, Api.SecretOf(TestClients.Shopper), scope: "read buy");
        Assert.True(Api.Factory.Services.GetRequiredService<Hyperstore.Api.Auth.ValidatedTokenCache>().TryGet(Hyperstore.Api.Auth.ValidatedTokenCache.CredentialsOf(token), out var remembered));
        using var scope = Api.Factory.Services.CreateScope();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + token;

        await Hyperstore.Api.Auth.BearerAuthentication.EnsureValidationTransactionAsync(context);
        var validated = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(
            context, OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);

        Assert.True(validated.Succeeded, validated.Failure?.Message);
        string? Subject(System.Security.Claims.ClaimsPrincipal p) => p.FindFirst(OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject)?.Value;
        Assert.Equal(Subject(remembered.Principal), Subject(validated.Principal!));
        Assert.Equal(
            OpenIddict.Abstractions.OpenIddictExtensions.GetScopes(remembered.Principal).Order(StringComparer.Ordinal),
            OpenIddict.Abstractions.OpenIddictExtensions.GetScopes(validated.Principal!).Order(StringComparer.Ordinal));
        // The token holds whole seconds.
        Assert.InRange(remembered.Properties.ExpiresUtc!.Value - validated.Properties!.ExpiresUtc!.Value, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
    }
}
