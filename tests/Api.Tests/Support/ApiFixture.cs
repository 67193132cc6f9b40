using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Hyperstore.Api.Auth;
using Hyperstore.Api.Testing;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Hyperstore.Testing;
using StackExchange.Redis;
using Xunit;

namespace Hyperstore.Api.Tests.Support;

/// <summary>
/// One redis-server and one API host per test collection. Tests of a collection run one after another and each starts
/// from an empty database (<see cref="ResetAsync"/>), so they may assert exact stream lengths and stock levels.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public class ApiFixture : IAsyncLifetime
{
    public const string Issuer = "http://hyperstore.test/";
    public const int MaxBuyQuantity = 5;
    public static readonly TimeSpan ReadYourWritesTimeout = TimeSpan.FromSeconds(5);
    public static readonly string[] Regions = ["eu", "na", "sa"];
    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private RedisServer? _server;
    private ConnectionMultiplexer? _redis;
    private HyperstoreApiFactory? _factory;
    private HttpClient? _anonymous;

    /// <summary>The key that signs this host's tokens (PEM), so that tests can forge tokens the way an attacker cannot.</summary>
    public string SigningKeyPem { get; } = SigningKeys.NewRsaPem();

    public RedisServer Server => _server ?? throw NotStarted();
    public IConnectionMultiplexer Redis => _redis ?? throw NotStarted();
    public HyperstoreApiFactory Factory => _factory ?? throw NotStarted();

    /// <summary>A client that sends no token.</summary>
    public HttpClient Anonymous => _anonymous ??= Factory.CreateClient();

    public IDatabase Database => Redis.GetDatabase();

    /// <summary>Settings beyond the common ones; a derived fixture overrides them (e.g. a tiny rate limit).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    /// <summary>Loopback ports the API listens on besides its main one.</summary>
    protected virtual IReadOnlyList<int> ExtraPorts => [];

    /// <summary>Starts this fixture's Redis; a derived fixture may configure it differently (e.g. persistent).</summary>
    protected virtual Task<RedisServer> StartRedisAsync() => RedisServer.StartAsync();

    /// <summary>The connection string the API gets; a derived fixture may shorten timeouts.</summary>
    protected virtual string ApiConnectionString(RedisServer server) => server.ConnectionString;

    public async Task InitializeAsync()
    {
        _server = await StartRedisAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString + ",allowAdmin=true");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = ApiConnectionString(_server),
            ["Auth:RequireHttps"] = "false",
            ["Auth:SigningKeyPem"] = SigningKeyPem,
            ["Auth:Issuer"] = Issuer,
            ["Hyperstore:Region"] = "eu",
            ["Hyperstore:Regions"] = string.Join(",", Regions),
            ["Hyperstore:MaxBuyQuantity"] = MaxBuyQuantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hyperstore:ReadYourWritesTimeout"] = ReadYourWritesTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }
        _factory = new HyperstoreApiFactory(settings, ExtraPorts);
        _factory.Start();
        await ResetAsync();
    }

    /// <summary>Empties the database and registers <see cref="TestClients"/> again (new secrets; tokens already issued stay valid).</summary>
    public async Task ResetAsync()
    {
        await Redis.GetServer(Redis.GetEndPoints()[0]).FlushDatabaseAsync();
        await ForgetViewsAsync();
        var store = new ClientStore(Redis);
        foreach (var (clientId, scopes) in TestClients.Scopes)
        {
            _secrets[clientId] = await store.SaveAsync(clientId, scopes, replace: true)
                ?? throw new InvalidOperationException($"Could not register {clientId}.");
        }
    }

    public string SecretOf(string clientId) => _secrets[clientId];

    /// <summary>A client whose every request carries a real token of <paramref name="clientId"/> with all its scopes.</summary>
    public HttpClient Client(string clientId) => _clients.GetOrAdd(clientId,
        id => Factory.CreateDefaultClient(Factory.ClientOptions.BaseAddress, new AccessTokenHandler(ct => TokenAsync(id, ct))));

    /// <summary>
    /// Registers a client of its own for one test and returns an HTTP client with its token; the caller disposes it.
    /// For state the API keeps per client in memory (rate limit buckets), which <see cref="ResetAsync"/> cannot empty.
    /// </summary>
    public async Task<HttpClient> NewClientAsync(params string[] scopes)
    {
        var clientId = "c-" + Guid.NewGuid().ToString("N");
        var secret = await new ClientStore(Redis).SaveAsync(clientId, scopes, replace: false)
            ?? throw new InvalidOperationException($"Could not register {clientId}.");
        var token = await RequestTokenAsync(clientId, secret, scope: null);
        return Factory.CreateDefaultClient(Factory.ClientOptions.BaseAddress, new AccessTokenHandler(_ => Task.FromResult(token)));
    }

    /// <summary>A token of <paramref name="clientId"/> from <c>POST /oauth/token</c> (client_secret_post), cached.</summary>
    public async Task<string> TokenAsync(string clientId, CancellationToken cancellationToken = default)
    {
        if (_tokens.TryGetValue(clientId, out var cached))
        {
            return cached;
        }
        var token = await RequestTokenAsync(clientId, SecretOf(clientId), scope: null, cancellationToken);
        return _tokens.GetOrAdd(clientId, token);
    }

    public async Task<string> RequestTokenAsync(string clientId, string secret, string? scope, CancellationToken cancellationToken = default)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        using var response = await Anonymous.PostAsync(new Uri("/oauth/token", UriKind.Relative), new FormUrlEncodedContent(form), cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token request of {clientId} failed: {(int)response.StatusCode} {body}");
        }
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>The ledger of a region as Redis holds it: write-side stock and stream length.</summary>
    public async Task<LedgerState> LedgerAsync(string region)
    {
        var keys = new LedgerKeys(Region.Parse(region));
        var stock = await Database.StringGetAsync(keys.Stock);
        return new LedgerState(stock.IsNull ? 0 : (long)stock, await Database.StreamLengthAsync(keys.Events));
    }

    /// <summary>Writes a region's read model as the projector does: the hash, then the message announcing it.</summary>
    public async Task SeedReadModelAsync(string region, long quantity, string position, DateTimeOffset updatedAt, long events)
    {
        var keys = new LedgerKeys(Region.Parse(region));
        await Database.HashSetAsync(keys.ReadModel.Stock,
        [
            new HashEntry("quantity", quantity),
            new HashEntry("position", position),
            new HashEntry("updatedAt", updatedAt.ToUnixTimeMilliseconds()),
            new HashEntry("events", events),
        ]);
        await AnnounceReadModelAsync(new StockView(region, quantity, Hyperstore.Ledger.StreamPosition.Parse(position),
            DateTimeOffset.FromUnixTimeMilliseconds(updatedAt.ToUnixTimeMilliseconds()), events));
    }

    /// <summary>
    /// After the database was emptied: has the API read every region's (now empty) view, as its refresher does every
    /// second. A message would not do: one older than the view held is ignored, as a late one must be.
    /// </summary>
    private async Task ForgetViewsAsync()
    {
        var views = await LiveViewsAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await views.RefreshAllAsync();
            if (Regions.All(region => views.Cached(Region.Parse(region)) == new StockView(region, 0, Hyperstore.Ledger.StreamPosition.Start, null, 0)))
            {
                return;
            }
            if (clock.Elapsed > AnnounceTimeout)
            {
                throw new TimeoutException("The API's stock views still hold a view of before the reset.");
            }
            await Task.Delay(10);
        }
    }

    private async Task<LiveStockViews> LiveViewsAsync()
    {
        var views = Factory.Services.GetRequiredService<LiveStockViews>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!views.IsLive)
        {
            if (clock.Elapsed > AnnounceTimeout)
            {
                throw new TimeoutException("The API's stock views did not subscribe to the read model's changes.");
            }
            await Task.Delay(10);
        }
        return views;
    }

    /// <summary>
    /// Publishes a region's new view as the projection's scripts do, and waits until the API holds it: messages of a
    /// channel arrive in order, so no earlier message (of an earlier test) can overwrite it afterwards.
    /// </summary>
    private async Task AnnounceReadModelAsync(StockView view)
    {
        var views = await LiveViewsAsync();
        var region = Region.Parse(view.Region);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Redis.GetSubscriber().PublishAsync(RedisChannel.Literal(new LedgerKeys(region).ReadModel.Changes!), StockViewMessage.Format(view));
        while (views.Cached(region) != view)
        {
            if (clock.Elapsed > AnnounceTimeout)
            {
                throw new TimeoutException($"The API did not take the announced view of {region.Value}: {StockViewMessage.Format(view)}.");
            }
            await Task.Delay(1);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        _anonymous?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static InvalidOperationException NotStarted() => new("The fixture has not started.");
}

/// <summary>A region's write side: what must not change when a request is refused.</summary>
public sealed record LedgerState(long Stock, long Events);
