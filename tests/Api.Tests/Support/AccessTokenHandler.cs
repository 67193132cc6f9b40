using System.Net.Http.Headers;

namespace Hyperstore.Api.Tests.Support;

/// <summary>Adds a real access token, fetched from <c>POST /oauth/token</c> with the client's secret, to every request.</summary>
public sealed class AccessTokenHandler(Func<CancellationToken, Task<string>> accessToken) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await accessToken(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
