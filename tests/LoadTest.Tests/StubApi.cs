using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperstore.LoadTest.Tests;

/// <summary>
/// A small in-process stand-in for the API's contract on 127.0.0.1 (port 0): token endpoint, stock read,
/// buy (with sold-out), restock, audit verify and events. Switches make it fail reads or lose buys from its ledger.
/// </summary>
internal sealed class StubApi : IAsyncDisposable
{
    public const string ClientId = "loadtest";
    public const string ClientSecret = "loadtest-secret";
    public const string AuditClientId = "auditor";
    public const string AuditClientSecret = "auditor-secret";
    public const string Region = "eu";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<Event> _ledger = [];
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private long _stock;
    private int _buysSeen;

    private StubApi(WebApplication app, long stock)
    {
        _app = app;
        _stock = stock;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>GET /api/hyper answers 500.</summary>
    public bool FailReads { get; set; }

    /// <summary>GET /api/hyper's answer is padded (a field of spaces) to at least this many bytes; 0: not padded.</summary>
    public int PadReadsTo { get; set; }

    /// <summary>GET /api/hyper sends its headers and the start of its body, then nothing more for this long.</summary>
    public TimeSpan? StallReadBodies { get; set; }

    /// <summary>After this many reads, every token issued so far is refused (as after a new signing key); 0: never.</summary>
    public int ForgetTokensAfterReads { get; set; }

    private int _reads;

    /// <summary>Every n-th accepted buy is answered 200 but not written to the ledger (0: none).</summary>
    public int LoseEveryNthBuy { get; set; }

    /// <summary>Requests as (User-Agent, letter): T token, G read, B buy, S set stock, A audit.</summary>
    public ConcurrentQueue<(string Agent, char Step)> Log { get; } = new();

    public long Stock
    {
        get
        {
            lock (_lock)
            {
                return _stock;
            }
        }
    }

    public static async Task<StubApi> StartAsync(long stock = 500)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new StubApi(app, stock);
        stub.Map(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/oauth/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            Note(http, 'T');
            string id = form["client_id"].ToString(), secret = form["client_secret"].ToString(), scope = form["scope"].ToString();
            bool ok = (id, secret) is (ClientId, ClientSecret) && scope.Split(' ').All(s => s is "read" or "buy" or "stock")
                || (id, secret) is (AuditClientId, AuditClientSecret) && scope == "audit";
            if (!ok)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            string token = Guid.NewGuid().ToString("N");
            _tokens[token] = scope;
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 3600, scope });
        });

        app.MapGet("/api/hyper", async (HttpContext http) =>
        {
            Note(http, 'G');
            if (StallReadBodies is { } stall)
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"quantity\":", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                await Task.Delay(stall, http.RequestAborted);
                return Results.Empty;
            }
            if (Interlocked.Increment(ref _reads) == ForgetTokensAfterReads)
            {
                _tokens.Clear();
            }
            if (!Has(http, "read"))
            {
                return Results.Unauthorized();
            }

            if (FailReads)
            {
                return Results.Problem(statusCode: 500, title: "boom");
            }

            lock (_lock)
            {
                return Results.Json(new { quantity = _stock, region = Region, position = Head(), updatedAt = DateTimeOffset.UtcNow, padding = new string(' ', PadReadsTo) });
            }
        });

        app.MapPut("/api/hyper/own", async (HttpContext http) =>
        {
            Note(http, 'B');
            if (!Has(http, "buy"))
            {
                return Results.Unauthorized();
            }

            var body = await http.Request.ReadFromJsonAsync<QuantityBody>();
            int quantity = body?.Quantity ?? 1;
            string commandId = http.Request.Headers["Idempotency-Key"].ToString();
            lock (_lock)
            {
                if (_stock < quantity)
                {
                    return Results.Problem(statusCode: 409, type: "https://hyperstore.cc/problems/sold-out", title: "Sold out");
                }

                long before = _stock;
                _stock -= quantity;
                string position = NextPosition();
                bool lose = LoseEveryNthBuy > 0 && ++_buysSeen % LoseEveryNthBuy == 0;
                if (!lose)
                {
                    _ledger.Add(new Event(position, "HyperBought", quantity, before, _stock, commandId));
                }

                return Results.Json(new { region = Region, quantity = _stock, bought = quantity, position, replayed = false });
            }
        });

        app.MapPost("/api/hyper", async (HttpContext http) =>
        {
            Note(http, 'S');
            if (!Has(http, "stock"))
            {
                return Results.Unauthorized();
            }

            var body = await http.Request.ReadFromJsonAsync<QuantityBody>();
            lock (_lock)
            {
                long before = _stock;
                _stock = body?.Quantity ?? 500;
                string position = NextPosition();
                _ledger.Add(new Event(position, "HyperStocked", _stock, before, _stock, null));
                return Results.Json(new { region = Region, quantity = _stock, position });
            }
        });

        app.MapGet("/api/audit/verify", (HttpContext http) =>
        {
            Note(http, 'A');
            if (!Has(http, "audit"))
            {
                return Results.Unauthorized();
            }

            lock (_lock)
            {
                return Results.Json(new
                {
                    region = Region, consistent = true, writeStock = _stock, replayStock = _stock, readModelStock = _stock,
                    streamHead = Head(), readModelPosition = Head(), eventsBehind = 0, events = _ledger.Count, differences = Array.Empty<string>(),
                });
            }
        });

        app.MapGet("/api/audit/events", (HttpContext http, string? from, int? count) =>
        {
            Note(http, 'A');
            if (!Has(http, "audit"))
            {
                return Results.Unauthorized();
            }

            lock (_lock)
            {
                int start = from is null ? 0 : _ledger.FindIndex(e => e.Position == from) + 1;
                if (from is not null && start == 0 && from != "0-0")
                {
                    return Results.Problem(statusCode: 400, title: "unknown position");
                }

                var page = _ledger.Skip(start).Take(Math.Clamp(count ?? 100, 1, 1000)).ToList();
                string? next = start + page.Count < _ledger.Count ? page[^1].Position : null;
                return Results.Json(new
                {
                    region = Region,
                    events = page.Select(e => new
                    {
                        position = e.Position, type = e.Type, quantity = e.Quantity, levelBefore = e.LevelBefore,
                        levelAfter = e.LevelAfter, client = ClientId, commandId = e.CommandId, occurredAt = DateTimeOffset.UtcNow,
                    }),
                    next,
                });
            }
        });
    }

    private string Head() => _ledger.Count == 0 ? "0-0" : _ledger[^1].Position;

    private string NextPosition() => $"{1764400000000 + _ledger.Count + 1}-0";

    private bool Has(HttpContext http, string scope) =>
        http.Request.Headers.Authorization.ToString() is { Length: > 7 } header
        && _tokens.TryGetValue(header[7..], out string? scopes)
        && scopes.Split(' ').Contains(scope);

    private void Note(HttpContext http, char step) => Log.Enqueue((http.Request.Headers.UserAgent.ToString(), step));

    private sealed record QuantityBody(int? Quantity);

    private sealed record Event(string Position, string Type, long Quantity, long LevelBefore, long LevelAfter, string? CommandId);
}
