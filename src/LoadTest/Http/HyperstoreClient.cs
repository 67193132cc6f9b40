using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hyperstore.LoadTest.Stats;

namespace Hyperstore.LoadTest.Http;

/// <summary>
/// An access token and when to fetch a new one. The token is kept as its <c>Authorization</c> header value, the text
/// that goes on the wire: a typed header value is formatted into a new string on every request (a kilobyte per request
/// for a JWT, the client's largest allocation).
/// </summary>
internal sealed record AccessToken(string Authorization, DateTimeOffset RefreshAt)
{
    private volatile bool _rejected;

    /// <summary>The API answered 401 to it (a new signing key, a rotated client): fetch another instead of waiting for RefreshAt.</summary>
    public bool Rejected => _rejected;

    public void AddTo(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("Authorization", Authorization);

    public void Reject() => _rejected = true;
}

/// <summary>A buy the API accepted, kept for the ledger check.</summary>
internal sealed record AcceptedBuy(string CommandId, string Position, long Quantity);

internal enum BuyStatus
{
    Accepted,
    SoldOut,
    Failed,
}

internal readonly record struct BuyResult(BuyStatus Status, long? QuantityLeft);

/// <summary>
/// The store's API as one virtual user calls it: every call is timed and recorded under Locust's
/// Type/Name, and classified as success, sold out or failure.
/// </summary>
internal sealed class HyperstoreClient : IDisposable
{
    public const string SoldOutProblemType = "https://hyperstore.cc/problems/sold-out";
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly ConcurrentDictionary<int, string> StatusErrors = new();

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ClientCredentials _credentials;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<AcceptedBuy>? _acceptedBuys;
    private readonly Uri _tokenUri;
    private readonly Uri _stockUri;
    private readonly Uri _buyUri;
    private readonly StatsRecorder.Endpoint _token;
    private readonly StatsRecorder.Endpoint _read;
    private readonly StatsRecorder.Endpoint _buy;
    private readonly StatsRecorder.Endpoint _setStock;

    public HyperstoreClient(HttpClient http, bool ownsHttp, ClientCredentials credentials, string? region,
        StatsRecorder stats, ConcurrentQueue<AcceptedBuy>? acceptedBuys, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(stats);
        _http = http;
        _ownsHttp = ownsHttp;
        _credentials = credentials;
        _acceptedBuys = acceptedBuys;
        _time = time ?? TimeProvider.System;
        string query = string.IsNullOrEmpty(region) ? "" : "?region=" + Uri.EscapeDataString(region);
        // Built once: a path given as text is parsed into a new Uri, and joined to the base address, on every request.
        _tokenUri = Resolve(http, "oauth/token");
        _stockUri = Resolve(http, "api/hyper" + query);
        _buyUri = Resolve(http, "api/hyper/own" + query);
        _token = stats.For("POST", "/oauth/token");
        _read = stats.For("GET", "/api/hyper");
        _buy = stats.For("PUT", "/api/hyper/own");
        _setStock = stats.For("POST", "/api/hyper");
    }

    /// <summary>Fetches a token with <paramref name="scope"/>; null when the server refused or failed.</summary>
    public async Task<AccessToken?> FetchTokenAsync(string scope, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _tokenUri) { Content = _credentials.TokenForm(scope) };
        var reply = await SendAsync(request, _token, cancellationToken);
        if (!reply.Sent)
        {
            return null;
        }

        string? token = reply.Status == 200 ? JsonFields.String(reply.Body, "access_token"u8) : null;
        if (token is null)
        {
            Fail(_token, reply);
            return null;
        }

        _token.Record(reply.Micros, reply.Body.Length, Outcome.Success);
        long expiresIn = JsonFields.Int64(reply.Body, "expires_in"u8) ?? 3600;
        // Refresh a minute early (or halfway for short-lived tokens) so no request goes out with an expired token.
        var refreshIn = TimeSpan.FromSeconds(Math.Max(1, Math.Min(expiresIn - 60, expiresIn / 2.0)));
        return new AccessToken("Bearer " + token, _time.GetUtcNow() + refreshIn);
    }

    /// <summary>Reads the stock level; null on failure.</summary>
    public async Task<long?> ReadStockAsync(AccessToken token, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _stockUri);
        token.AddTo(request);
        var reply = await SendAsync(request, _read, cancellationToken);
        if (!reply.Sent)
        {
            return null;
        }

        long? quantity = reply.Status == 200 ? JsonFields.Int64(reply.Body, "quantity"u8) : null;
        if (quantity is null)
        {
            Fail(_read, reply, token);
            return null;
        }

        _read.Record(reply.Micros, reply.Body.Length, Outcome.Success);
        return quantity;
    }

    /// <summary>Buys <paramref name="quantity"/> with a fresh Idempotency-Key, remembered for the ledger check when accepted.</summary>
    public async Task<BuyResult> BuyAsync(AccessToken token, int quantity, CancellationToken cancellationToken)
    {
        string commandId = Guid.CreateVersion7().ToString();
        var request = new HttpRequestMessage(HttpMethod.Put, _buyUri)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"quantity":{{quantity}}}"""))
            {
                Headers = { ContentType = JsonType },
            },
        };
        token.AddTo(request);
        request.Headers.Add("Idempotency-Key", commandId);
        var reply = await SendAsync(request, _buy, cancellationToken);
        if (!reply.Sent)
        {
            return new BuyResult(BuyStatus.Failed, null);
        }

        if (reply.Status == 409 && JsonFields.String(reply.Body, "type"u8) == SoldOutProblemType)
        {
            _buy.Record(reply.Micros, reply.Body.Length, Outcome.SoldOut);
            return new BuyResult(BuyStatus.SoldOut, 0);
        }

        string? position = reply.Status == 200 ? JsonFields.String(reply.Body, "position"u8) : null;
        if (position is null)
        {
            Fail(_buy, reply, token);
            return new BuyResult(BuyStatus.Failed, null);
        }

        _buy.Record(reply.Micros, reply.Body.Length, Outcome.Success);
        long bought = JsonFields.Int64(reply.Body, "bought"u8) ?? quantity;
        _acceptedBuys?.Enqueue(new AcceptedBuy(commandId, position, bought));
        return new BuyResult(BuyStatus.Accepted, JsonFields.Int64(reply.Body, "quantity"u8));
    }

    /// <summary>Sets the stock level (needs a <c>stock</c>-scoped token); false on failure.</summary>
    public async Task<bool> SetStockAsync(AccessToken token, int quantity, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _stockUri)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"quantity":{{quantity}}}"""))
            {
                Headers = { ContentType = JsonType },
            },
        };
        token.AddTo(request);
        var reply = await SendAsync(request, _setStock, cancellationToken);
        if (!reply.Sent)
        {
            return false;
        }

        if (reply.Status != 200)
        {
            Fail(_setStock, reply, token);
            return false;
        }

        _setStock.Record(reply.Micros, reply.Body.Length, Outcome.Success);
        return true;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Counts the failure; a 401 also marks the token it carried as rejected.</summary>
    private static void Fail(StatsRecorder.Endpoint endpoint, in Reply reply, AccessToken? sent = null)
    {
        if (reply.Status == 401)
        {
            sent?.Reject();
        }
        endpoint.Record(reply.Micros, reply.Body.Length, Outcome.Failure, DescribeStatus(reply));
    }

    private static string DescribeStatus(in Reply reply)
    {
        if (reply.Status == 200)
        {
            return "HTTP 200 with an unexpected body";
        }

        // Problem details name the kind of error: keep it, it tells failures apart (e.g. two kinds of 409).
        if (reply.Status >= 400 && JsonFields.String(reply.Body, "type"u8) is { Length: > 0 and < 200 } type && type != "about:blank")
        {
            return $"HTTP {reply.Status} {type}";
        }

        if (reply.Status >= 400 && JsonFields.String(reply.Body, "error"u8) is { Length: > 0 and < 100 } error)
        {
            return $"HTTP {reply.Status} {error}";
        }

        return StatusErrors.GetOrAdd(reply.Status, static s => $"HTTP {s} {(HttpStatusCode)s}");
    }

    /// <summary>Sends and reads the whole body (Locust's response time includes the download).</summary>
    private async Task<Reply> SendAsync(HttpRequestMessage request, StatsRecorder.Endpoint endpoint, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new Reply(true, (int)response.StatusCode, body, Micros(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run was stopped hard: this request's outcome is unknown, so it is not counted.
            throw;
        }
        catch (TaskCanceledException)
        {
            endpoint.Record(Micros(started), 0, Outcome.Failure, "Timeout: no answer within the request timeout");
            return default;
        }
        catch (HttpRequestException e)
        {
            endpoint.Record(Micros(started), 0, Outcome.Failure, $"{e.HttpRequestError}: {e.InnerException?.Message ?? e.Message}");
            return default;
        }
        catch (IOException e)
        {
            endpoint.Record(Micros(started), 0, Outcome.Failure, $"IOException: {e.Message}");
            return default;
        }
        finally
        {
            request.Dispose();
        }
    }

    private static Uri Resolve(HttpClient http, string path) =>
        http.BaseAddress is { } host ? new Uri(host, path) : new Uri(path, UriKind.Relative);

    private static long Micros(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;

    /// <summary>An HTTP answer; <see cref="Sent"/> is false when the request failed below HTTP (already recorded).</summary>
    private readonly record struct Reply(bool Sent, int Status, byte[] Body, long Micros)
    {
        public byte[] Body { get; } = Body ?? [];
    }
}
