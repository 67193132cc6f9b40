using System.Runtime;
using System.Text.RegularExpressions;
using Hyperstore.LoadTest.Http;
using Hyperstore.LoadTest.Running;
using Hyperstore.LoadTest.Scenarios;
using Hyperstore.LoadTest.Stats;
using Xunit;

namespace Hyperstore.LoadTest.Tests;

public sealed class RunTests
{
    internal static LoadRunOptions Options(StubApi api, Action<LoadRunOptionsBuilder>? change = null)
    {
        var builder = new LoadRunOptionsBuilder(new LoadRunOptions
        {
            Host = api.BaseUri,
            Users = 3,
            SpawnRate = 100,
            RunTime = TimeSpan.FromSeconds(20),
            IterationsPerUser = 2,
            ThinkMin = TimeSpan.Zero,
            ThinkMax = TimeSpan.Zero,
            Seed = 42,
            Credentials = new ClientCredentials(StubApi.ClientId, StubApi.ClientSecret),
            AuditCredentials = new ClientCredentials(StubApi.AuditClientId, StubApi.AuditClientSecret),
            StopTimeout = TimeSpan.FromSeconds(2),
            LedgerWait = TimeSpan.FromSeconds(2),
        });
        change?.Invoke(builder);
        return builder.Options;
    }

    [Fact]
    public async Task Run_StoreScenario_StepsHappenInOrderAndCountsAddUp()
    {
        await using var api = await StubApi.StartAsync();

        var part = await new LoadRunner(Options(api)).RunAsync();

        var byUser = api.Log.Where(l => l.Agent.Contains("(vu ", StringComparison.Ordinal)).GroupBy(l => l.Agent).ToList();
        Assert.Equal(3, byUser.Count);
        foreach (var user in byUser)
        {
            string steps = string.Concat(user.Select(l => l.Step));
            Assert.Matches(new Regex("^T(G{5,12}B{1,3}G{2,5}TS){2}$"), steps);
        }

        var view = new StatsView([part]);
        int loadRequests = byUser.Sum(u => u.Count());
        Assert.Equal(loadRequests, view.Aggregated.Requests);
        Assert.Equal(0, view.Aggregated.Failures);
        Assert.Equal(byUser.Sum(u => u.Count(l => l.Step == 'G')), Endpoint(view, "GET", "/api/hyper").Requests);
        Assert.Equal(byUser.Sum(u => u.Count(l => l.Step == 'B')), Endpoint(view, "PUT", "/api/hyper/own").Requests);
        Assert.Equal(6, Endpoint(view, "POST", "/api/hyper").Requests);
        Assert.Equal(9, Endpoint(view, "POST", "/oauth/token").Requests);
        Assert.Equal(6, part.Iterations);
        Assert.Equal(view.Aggregated.Requests, view.History.Sum(h => h.Requests));
        Assert.Equal(view.Aggregated.Requests, view.Aggregated.Histogram.TotalCount);

        Assert.NotNull(part.Ledger);
        Assert.True(part.Ledger.Passed, string.Join("; ", part.Ledger.Problems));
        Assert.Equal(Endpoint(view, "PUT", "/api/hyper/own").Requests, part.Ledger.AcceptedBuys);
        Assert.Equal(part.Ledger.AcceptedBuys, part.Ledger.FoundInLedger);
    }

    [Fact]
    public async Task Run_WhenAnEndpointFails_CountsItsRequestsAsFailures()
    {
        await using var api = await StubApi.StartAsync();
        api.FailReads = true;

        var part = await new LoadRunner(Options(api, o => o.Options = o.Options with { IterationsPerUser = 1 })).RunAsync();

        var view = new StatsView([part]);
        var reads = Endpoint(view, "GET", "/api/hyper");
        Assert.True(reads.Requests >= 3 * 7);
        Assert.Equal(reads.Requests, reads.Failures);
        Assert.Equal(reads.Failures, view.Aggregated.Failures);
        var failure = Assert.Single(view.Failures);
        Assert.Equal(("GET", "/api/hyper", reads.Failures), (failure.Method, failure.Name, failure.Occurrences));
        Assert.StartsWith("HTTP 500", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenTheApiStopsAcceptingTheTokens_UsersFetchNewOnesAtTheirNextIteration()
    {
        await using var api = await StubApi.StartAsync();
        api.ForgetTokensAfterReads = 2;

        var part = await new LoadRunner(Options(api, o => o.Options = o.Options with { Scenario = new BrowseScenario(), IterationsPerUser = 3 })).RunAsync();

        var view = new StatsView([part]);
        var reads = Endpoint(view, "GET", "/api/hyper");
        Assert.True(reads.Failures > 0, "no read was refused: the test proves nothing");
        Assert.True(reads.Requests - reads.Failures > 2, "no read succeeded after the tokens were forgotten");
        Assert.All(view.Failures, f => Assert.StartsWith("HTTP 401", f.Error, StringComparison.Ordinal));
        Assert.Equal(3 * 3, part.Iterations);
        // Every user signed in again at the iteration after its refused reads, rather than keeping the token until its
        // refresh time (an hour's token: half an hour).
        Assert.True(api.Log.Count(l => l.Step == 'T') >= 2 * 3, $"{api.Log.Count(l => l.Step == 'T')} token requests");
    }

    [Fact]
    public async Task Run_WhenAnAnswersBodyStalls_TheRequestTimesOutAsAFailure()
    {
        await using var api = await StubApi.StartAsync();
        api.StallReadBodies = TimeSpan.FromSeconds(30);
        var options = Options(api, o => o.Options = o.Options with
        {
            Scenario = new BrowseScenario(), Users = 1, IterationsPerUser = 1, RequestTimeout = TimeSpan.FromMilliseconds(300),
        });

        var part = await new LoadRunner(options).RunAsync();

        // The headers came at once; the deadline covers the body too.
        var reads = Endpoint(new StatsView([part]), "GET", "/api/hyper");
        Assert.Equal(10, reads.Requests);
        Assert.Equal(10, reads.Failures);
        var failure = Assert.Single(new StatsView([part]).Failures);
        Assert.StartsWith("Timeout", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WhenAnAnswerIsLongerThanWhatIsKept_ItIsReadToItsEndAndCounted()
    {
        await using var api = await StubApi.StartAsync();
        api.PadReadsTo = HyperstoreClient.MaxKeptBodyBytes * 3;
        var options = Options(api, o => o.Options = o.Options with { Scenario = new BrowseScenario(), Users = 1, IterationsPerUser = 1 });

        var part = await new LoadRunner(options).RunAsync();

        var reads = Endpoint(new StatsView([part]), "GET", "/api/hyper");
        Assert.Equal(10, reads.Requests);
        Assert.Equal(0, reads.Failures);
        Assert.True(reads.ContentBytes >= 10L * HyperstoreClient.MaxKeptBodyBytes * 3, $"{reads.ContentBytes} bytes counted");
    }

    [Fact]
    public async Task Run_WhenSoldOut_CountsSoldOutApartFromFailures()
    {
        await using var api = await StubApi.StartAsync(stock: 3);
        var options = Options(api, o => o.Options = o.Options with { Scenario = new FlashSaleScenario(), Users = 2, IterationsPerUser = 5 });

        var part = await new LoadRunner(options).RunAsync();

        var buys = Endpoint(new StatsView([part]), "PUT", "/api/hyper/own");
        Assert.Equal(10, buys.Requests);
        Assert.Equal(7, buys.SoldOut);
        Assert.Equal(0, buys.Failures);
        Assert.Equal(0, api.Stock);
        Assert.Equal(3, part.Ledger!.AcceptedBuys);
        Assert.True(part.Ledger.Passed);
    }

    [Fact]
    public async Task Run_WhenTheLedgerLosesABuy_LedgerCheckFails()
    {
        await using var api = await StubApi.StartAsync();
        api.LoseEveryNthBuy = 2;

        var part = await new LoadRunner(Options(api)).RunAsync();

        Assert.False(part.Ledger!.Passed);
        Assert.True(part.Ledger.MissingFromLedger > 0);
        Assert.Equal(part.Ledger.AcceptedBuys - part.Ledger.MissingFromLedger, part.Ledger.FoundInLedger);
        Assert.NotEmpty(part.Ledger.MissingSample);
        Assert.False(LedgerVerdict.Of([part]));
    }

    [Fact]
    public async Task Run_WithoutAnAuditClient_SkipsTheLedgerCheck()
    {
        await using var api = await StubApi.StartAsync();
        var messages = new RecordingObserver();

        var part = await new LoadRunner(Options(api, o => o.Options = o.Options with { AuditCredentials = null, IterationsPerUser = 1 }), messages).RunAsync();

        Assert.False(part.Ledger!.Checked);
        Assert.Null(LedgerVerdict.Of([part]));
        Assert.Contains(messages.Messages, m => m.Contains("ledger check skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WithAWrongAuditSecret_FailsBeforeTheLoad()
    {
        await using var api = await StubApi.StartAsync();
        var options = Options(api, o => o.Options = o.Options with { AuditCredentials = new ClientCredentials(StubApi.AuditClientId, "wrong") });

        await Assert.ThrowsAsync<LedgerCheckException>(() => new LoadRunner(options).RunAsync());
        Assert.DoesNotContain(api.Log, l => l.Step is 'G' or 'B');
    }

    [Fact]
    public async Task Run_OpenModel_StartsIterationsAtTheArrivalRate()
    {
        await using var api = await StubApi.StartAsync();
        var options = Options(api, o => o.Options = o.Options with
        {
            Scenario = new BrowseScenario(), ArrivalRate = 20, Users = 5, IterationsPerUser = null, RunTime = TimeSpan.FromSeconds(1.5),
        });

        var part = await new LoadRunner(options).RunAsync();

        Assert.Equal("open", part.Model);
        // 20 a second for 1.5 s; arrivals go on until the run's timer stops them, which a loaded machine can delay.
        var ranFor = (part.EndedAt - part.StartedAt).TotalSeconds;
        Assert.InRange(part.Iterations + part.DroppedIterations, 20, (int)Math.Ceiling(20 * ranFor) + 10);
        Assert.True(part.Iterations > 0);
        Assert.Equal(0, new StatsView([part]).Aggregated.Failures);
    }

    [Fact]
    public async Task Run_StopsAtItsRunTime()
    {
        await using var api = await StubApi.StartAsync();
        var options = Options(api, o => o.Options = o.Options with
        {
            IterationsPerUser = null, RunTime = TimeSpan.FromSeconds(1.5), ThinkMin = TimeSpan.FromMilliseconds(5), ThinkMax = TimeSpan.FromMilliseconds(10),
        });

        var started = DateTimeOffset.UtcNow;
        var part = await new LoadRunner(options).RunAsync();

        Assert.InRange((part.EndedAt - part.StartedAt).TotalSeconds, 1.4, 10);
        Assert.True(new StatsView([part]).Aggregated.Requests > 20);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Run_WithANoGcRegion_EndsTheRegionAndReportsIt()
    {
        await using var api = await StubApi.StartAsync();
        var options = Options(api, o => o.Options = o.Options with { NoGcRegionBytes = 256L << 20, IterationsPerUser = 1 });

        var part = await new LoadRunner(options).RunAsync();

        // Held or ended early depends on what the tests running beside this one allocate: the region is the process's.
        Assert.StartsWith("no GC for 256 MiB: ", part.Client.NoGcRegion, StringComparison.Ordinal);
        Assert.DoesNotContain("not started", part.Client.NoGcRegion, StringComparison.Ordinal);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(0, new StatsView([part]).Aggregated.Failures);
    }

    [Fact]
    public void NoGcRegion_ThatDidNotStart_SaysWhy() =>
        Assert.Equal("no GC for 4,096 MiB: not started, the runtime could not commit the memory",
            NoGcRegion.End(4096L << 20, "the runtime could not commit the memory"));

    [Fact]
    public void NoGcRegion_EndedByACollection_SaysItEndedEarly()
    {
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        Assert.Equal("no GC for 16 MiB: ended early, a collection ran", NoGcRegion.End(16L << 20, refusal: null));
    }

    private static EndpointStats Endpoint(StatsView view, string method, string name) =>
        view.Endpoints.Single(e => e.Method == method && e.Name == name);
}

/// <summary>Lets a test change an options record in a lambda.</summary>
internal sealed class LoadRunOptionsBuilder(LoadRunOptions options)
{
    public LoadRunOptions Options { get; set; } = options;
}

internal sealed class RecordingObserver : IRunObserver
{
    public List<string> Messages { get; } = [];

    public void OnSnapshot(LiveSnapshot snapshot)
    {
    }

    public void OnMessage(string message) => Messages.Add(message);
}
