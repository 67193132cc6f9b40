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
/// Type/Name, and classified as success, sold out or failure. One call at a time: the user's answer buffer and
/// request deadline are reused from call to call.
/// </summary>
/// <remarks>
/// Requests go straight to the connection handler, not through <see cref="HttpClient"/>, which made a linked
/// cancellation source and a timer for every request. The deadline covers the whole answer, body included.
/// </remarks>
internal sealed class HyperstoreClient : IDisposable
{
    public const string SoldOutProblemType = "https://hyperstore.cc/problems/sold-out";
    /// <summary>Answers are small JSON documents; a longer body is read to its end and counted, but only this much is kept.</summary>
    public const int MaxKeptBodyBytes = 64 * 1024;
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly ConcurrentDictionary<int, string> StatusErrors = new();
    /// <summary>Where bytes past <see cref="MaxKeptBodyBytes"/> are read to: written by many users at once, never read.</summary>
    private static readonly byte[] Discarded = new byte[4096];

    private readonly HttpMessageInvoker _http;
    private readonly ApiConnection? _ownedConnection;
    private readonly string _userAgent;
    private readonly TimeSpan _requestTimeout;
    private byte[] _body = new byte[1024];
    private CancellationTokenSource? _deadline;
    private CancellationToken _deadlineStop;
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

    public HyperstoreClient(ApiConnection connection, bool ownsConnection, ClientCredentials credentials, string? region,
        StatsRecorder stats, ConcurrentQueue<AcceptedBuy>? acceptedBuys, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(stats);
        _http = connection.Invoker;
        _ownedConnection = ownsConnection ? connection : null;
        _userAgent = connection.UserAgent;
        _requestTimeout = connection.RequestTimeout;
        _credentials = credentials;
        _acceptedBuys = acceptedBuys;
        _time = time ?? TimeProvider.System;
        string query = string.IsNullOrEmpty(region) ? "" : "?region=" + Uri.EscapeDataString(region);
        // Built once: a path given as text is parsed into a new Uri, and joined to the base address, on every request.
        _tokenUri = new Uri(connection.Host, "oauth/token");
        _stockUri = new Uri(connection.Host, "api/hyper" + query);
        _buyUri = new Uri(connection.Host, "api/hyper/own" + query);
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

        string? token = reply.Status == 200 ? JsonFields.String(reply.Body.Span, "access_token"u8) : null;
        if (token is null)
        {
            Fail(_token, reply);
            return null;
        }

        _token.Record(reply.Micros, reply.Length, Outcome.Success);
        long expiresIn = JsonFields.Int64(reply.Body.Span, "expires_in"u8) ?? 3600;
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

        long? quantity = reply.Status == 200 ? JsonFields.Int64(reply.Body.Span, "quantity"u8) : null;
        if (quantity is null)
        {
            Fail(_read, reply, token);
            return null;
        }

        _read.Record(reply.Micros, reply.Length, Outcome.Success);
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
        request.Headers.TryAddWithoutValidation("Idempotency-Key", commandId);
        var reply = await SendAsync(request, _buy, cancellationToken);
        if (!reply.Sent)
        {
            return new BuyResult(BuyStatus.Failed, null);
        }

        if (reply.Status == 409 && JsonFields.String(reply.Body.Span, "type"u8) == SoldOutProblemType)
        {
            _buy.Record(reply.Micros, reply.Length, Outcome.SoldOut);
            return new BuyResult(BuyStatus.SoldOut, 0);
        }

        string? position = reply.Status == 200 ? JsonFields.String(reply.Body.Span, "position"u8) : null;
        if (position is null)
        {
            Fail(_buy, reply, token);
            return new BuyResult(BuyStatus.Failed, null);
        }

        _buy.Record(reply.Micros, reply.Length, Outcome.Success);
        long bought = JsonFields.Int64(reply.Body.Span, "bought"u8) ?? quantity;
        _acceptedBuys?.Enqueue(new AcceptedBuy(commandId, position, bought));
        return new BuyResult(BuyStatus.Accepted, JsonFields.Int64(reply.Body.Span, "quantity"u8));
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

        _setStock.Record(reply.Micros, reply.Length, Outcome.Success);
        return true;
    }

    public void Dispose()
    {
        // The user's own connections close with it (its handler); shared ones are closed by the run.
        _ownedConnection?.Dispose();
        _deadline?.Dispose();
    }

    /// <summary>Counts the failure; a 401 also marks the token it carried as rejected.</summary>
    private static void Fail(StatsRecorder.Endpoint endpoint, in Reply reply, AccessToken? sent = null)
    {
        if (reply.Status == 401)
        {
            sent?.Reject();
        }
        endpoint.Record(reply.Micros, reply.Length, Outcome.Failure, DescribeStatus(reply));
    }

    private static string DescribeStatus(in Reply reply)
    {
        if (reply.Status == 200)
        {
            return "HTTP 200 with an unexpected body";
        }

        // Problem details name the kind of error: keep it, it tells failures apart (e.g. two kinds of 409).
        if (reply.Status >= 400 && JsonFields.String(reply.Body.Span, "type"u8) is { Length: > 0 and < 200 } type && type != "about:blank")
        {
            return $"HTTP {reply.Status} {type}";
        }

        if (reply.Status >= 400 && JsonFields.String(reply.Body.Span, "error"u8) is { Length: > 0 and < 100 } error)
        {
            return $"HTTP {reply.Status} {error}";
        }

        return StatusErrors.GetOrAdd(reply.Status, static s => $"HTTP {s} {(HttpStatusCode)s}");
    }

    /// <summary>Sends and reads the whole body (Locust's response time includes the download).</summary>
    private async Task<Reply> SendAsync(HttpRequestMessage request, StatsRecorder.Endpoint endpoint, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
        var deadline = StartDeadline(cancellationToken);
        long started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token);
            var (kept, length) = await ReadBodyAsync(response.Content, deadline.Token);
            return new Reply(true, (int)response.StatusCode, kept, length, Micros(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run was stopped hard: this request's outcome is unknown, so it is not counted.
            throw;
        }
        catch (OperationCanceledException)
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
            // Stops the deadline's timer; a source that has fired is replaced at the next call.
            deadline.TryReset();
            request.Dispose();
        }
    }

    /// <summary>The request's deadline: the user's own source, linked to the hard stop, reused while it has not fired.</summary>
    private CancellationTokenSource StartDeadline(CancellationToken stop)
    {
        if (_deadline is null || _deadline.IsCancellationRequested || _deadlineStop != stop)
        {
            _deadline?.Dispose();
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _deadlineStop = stop;
        }
        _deadline.CancelAfter(_requestTimeout);
        return _deadline;
    }

    /// <summary>Reads the body into the user's buffer (valid until the next call): its first bytes and its whole length.</summary>
    private async Task<(ReadOnlyMemory<byte> Kept, long Length)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        int kept = 0;
        long length = 0;
        while (true)
        {
            if (kept == _body.Length && _body.Length < MaxKeptBodyBytes)
            {
                Array.Resize(ref _body, Math.Min(_body.Length * 2, MaxKeptBodyBytes));
            }
            var into = kept < _body.Length ? _body.AsMemory(kept) : Discarded;
            int read = await stream.ReadAsync(into, cancellationToken);
            if (read == 0)
            {
                return (_body.AsMemory(0, kept), length);
            }
            length += read;
            if (kept < _body.Length)
            {
                kept += read;
            }
        }
    }

    private static long Micros(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;

    /// <summary>
    /// An HTTP answer; <see cref="Sent"/> is false when the request failed below HTTP (already recorded). <see cref="Body"/>
    /// is the kept part of the body, in the user's buffer, and <see cref="Length"/> the whole body's length.
    /// </summary>
    private readonly record struct Reply(bool Sent, int Status, ReadOnlyMemory<byte> Body, long Length, long Micros);
}
