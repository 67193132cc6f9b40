using System.Net;

namespace Hyperstore.LoadTest.Http;

/// <summary>
/// A pool of connections to the API (one user's, or shared by all): the virtual users send on it directly
/// (<see cref="Invoker"/>), the ledger check through an <see cref="HttpClient"/> over the same pool.
/// </summary>
internal sealed class ApiConnection : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private HttpClient? _client;

    public ApiConnection(Uri host, int maxConnections, string userAgent, TimeSpan requestTimeout)
    {
        Host = host;
        UserAgent = userAgent;
        RequestTimeout = requestTimeout;
        _handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
    }

    public Uri Host { get; }

    /// <summary>Sent as text on every request: a parsed value is cloned into each one.</summary>
    public string UserAgent { get; }

    /// <summary>How long a request may take, its whole answer included.</summary>
    public TimeSpan RequestTimeout { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>An <see cref="HttpClient"/> on the same connections, made when first asked for.</summary>
    public HttpClient Client => _client ??= CreateClient();

    public void Dispose()
    {
        _client?.Dispose();
        Invoker.Dispose();
        _handler.Dispose();
    }

    private HttpClient CreateClient()
    {
        var client = new HttpClient(_handler, disposeHandler: false)
        {
            BaseAddress = Host,
            Timeout = RequestTimeout,
            DefaultRequestVersion = HttpVersion.Version11,
        };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
        return client;
    }
}
