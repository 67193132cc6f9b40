using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hyperstore.LoadTest.Http;

namespace Hyperstore.LoadTest;

/// <summary>
/// Checks the run against the API's audit endpoints with an <c>audit</c>-scoped client: every accepted buy is in
/// the ledger at the position the client was told, no event left the stock negative, the audit verify is
/// consistent and the read model caught up. Every loop is bounded in pages and in time.
/// </summary>
internal sealed class LedgerChecker(HttpClient http, ClientCredentials audit, string? region, TimeProvider time)
{
    public const int PageSize = 1000;
    public const int MaxPages = 100_000;
    public const int MaxMissingSample = 20;

    /// <summary>How long the read model may take to catch up after the load stops.</summary>
    public TimeSpan ReadModelWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole check's time limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    private string RegionQuery => string.IsNullOrEmpty(region) ? "" : "region=" + Uri.EscapeDataString(region);

    /// <summary>Before the run: proves the audit client works and returns the stream head to read from afterwards.</summary>
    public async Task<string?> StreamHeadAsync(CancellationToken cancellationToken)
    {
        var token = await TokenAsync(cancellationToken);
        var verify = await GetAsync("api/audit/verify", RegionQuery, token, AuditJsonContext.Default.VerifyAnswer, cancellationToken);
        return verify.StreamHead;
    }

    public async Task<LedgerReport> CheckAsync(IReadOnlyCollection<AcceptedBuy> buys, string? fromPosition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buys);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        var problems = new List<string>();
        try
        {
            var token = await TokenAsync(limit.Token);
            var (verify, behindAtEnd, caughtUp, catchUp) = await WaitForReadModelAsync(token, limit.Token);
            if (!caughtUp)
            {
                problems.Add($"read model still {verify.EventsBehind} events behind after {ReadModelWait.TotalSeconds:0} s");
            }

            if (!verify.Consistent)
            {
                problems.Add($"audit verify is not consistent ({verify.Differences?.Count ?? 0} differences)");
            }

            if (verify.WriteStock < 0 || verify.ReplayStock < 0 || verify.ReadModelStock < 0)
            {
                problems.Add("a stock level is negative");
            }

            var (scanned, negative, found) = await ScanAsync(buys, fromPosition, token, limit.Token);
            long missing = 0, mismatched = 0;
            var missingSample = new List<string>();
            foreach (var buy in buys)
            {
                if (!found.TryGetValue(buy.CommandId, out string? position))
                {
                    missing++;
                    if (missingSample.Count < MaxMissingSample)
                    {
                        missingSample.Add($"{buy.CommandId} at {buy.Position}");
                    }
                }
                else if (position != buy.Position)
                {
                    mismatched++;
                }
            }

            if (missing > 0)
            {
                problems.Add($"{missing} accepted buys are not in the ledger");
            }

            if (mismatched > 0)
            {
                problems.Add($"{mismatched} buys are in the ledger at another position than the client was told");
            }

            if (negative > 0)
            {
                problems.Add($"{negative} events left the stock negative");
            }

            return new LedgerReport
            {
                Checked = true,
                Passed = problems.Count == 0,
                Region = verify.Region ?? region,
                AcceptedBuys = buys.Count,
                FoundInLedger = buys.Count - missing,
                MissingFromLedger = missing,
                PositionMismatches = mismatched,
                MissingSample = missingSample,
                EventsScanned = scanned,
                NegativeStockEvents = negative,
                Consistent = verify.Consistent,
                WriteStock = verify.WriteStock,
                ReplayStock = verify.ReplayStock,
                ReadModelStock = verify.ReadModelStock,
                EventsBehindAtEnd = behindAtEnd,
                ReadModelCaughtUp = caughtUp,
                CatchUpSeconds = Math.Round(catchUp.TotalSeconds, 3),
                StreamHead = verify.StreamHead,
                ReadModelPosition = verify.ReadModelPosition,
                Problems = problems,
            };
        }
        catch (Exception e) when (e is HttpRequestException or LedgerCheckException or JsonException
                                      or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            problems.Add(e is OperationCanceledException ? $"the check took longer than {Timeout.TotalSeconds:0} s" : e.Message);
            return new LedgerReport { Checked = true, Passed = false, Region = region, AcceptedBuys = buys.Count, Problems = problems };
        }
    }

    private async Task<(VerifyAnswer Verify, long BehindAtEnd, bool CaughtUp, TimeSpan CatchUp)> WaitForReadModelAsync(
        AuthenticationHeaderValue token, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var verify = await GetAsync("api/audit/verify", RegionQuery, token, AuditJsonContext.Default.VerifyAnswer, cancellationToken);
        long behindAtEnd = verify.EventsBehind;
        while (verify.EventsBehind > 0 && time.GetElapsedTime(started) < ReadModelWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
            verify = await GetAsync("api/audit/verify", RegionQuery, token, AuditJsonContext.Default.VerifyAnswer, cancellationToken);
        }

        return (verify, behindAtEnd, verify.EventsBehind == 0, time.GetElapsedTime(started));
    }

    private async Task<(long Scanned, long Negative, Dictionary<string, string> Found)> ScanAsync(
        IReadOnlyCollection<AcceptedBuy> buys, string? from, AuthenticationHeaderValue token, CancellationToken cancellationToken)
    {
        var wanted = buys.Select(b => b.CommandId).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        long scanned = 0, negative = 0;
        for (int page = 0; page < MaxPages; page++)
        {
            string query = $"{RegionQuery}{(RegionQuery.Length > 0 ? "&" : "")}count={PageSize}"
                + (from is null ? "" : "&from=" + Uri.EscapeDataString(from));
            var answer = await GetAsync("api/audit/events", query, token, AuditJsonContext.Default.EventsPage, cancellationToken);
            foreach (var e in answer.Events)
            {
                scanned++;
                if (e.LevelAfter < 0 || e.LevelBefore < 0)
                {
                    negative++;
                }

                if (e.CommandId is { } id && wanted.Contains(id))
                {
                    found[id] = e.Position;
                }
            }

            if (answer.Next is null || answer.Next == from || answer.Events.Count == 0)
            {
                return (scanned, negative, found);
            }

            from = answer.Next;
        }

        throw new LedgerCheckException($"the ledger has more than {MaxPages * PageSize} events after the run's start");
    }

    private async Task<AuthenticationHeaderValue> TokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = audit.TokenForm("audit") };
        using var response = await http.SendAsync(request, cancellationToken);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        string? token = response.IsSuccessStatusCode ? JsonFields.String(body, "access_token"u8) : null;
        return token is null
            ? throw new LedgerCheckException($"the audit client '{audit.ClientId}' got no token: HTTP {(int)response.StatusCode} {JsonFields.String(body, "error"u8)}")
            : new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<T> GetAsync<T>(string path, string query, AuthenticationHeaderValue token, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? path : $"{path}?{query}");
        request.Headers.Authorization = token;
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new LedgerCheckException($"GET /{path} answered HTTP {(int)response.StatusCode}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
            ?? throw new LedgerCheckException($"GET /{path} answered an empty body");
    }
}

/// <summary>The ledger check could not be carried out (not: the ledger is wrong).</summary>
internal sealed class LedgerCheckException(string message) : Exception(message);
