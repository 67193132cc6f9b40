using System.Text.Json;
using System.Xml.Linq;
using Hyperstore.LoadTest.Cli;
using Hyperstore.LoadTest.Reports;
using Hyperstore.LoadTest.Stats;
using Spectre.Console;
using Xunit;
using Xunit.Abstractions;

namespace Hyperstore.LoadTest.Tests;

public sealed class ReportTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hyperstore-loadtest-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (IAnsiConsole Console, StringWriter Text) TestConsole() => TestConsoles.Create();

    private RunSettings Settings(StubApi api, string name, params string[] thresholds) => new()
    {
        Host = api.BaseUri.ToString(),
        Users = 4,
        SpawnRate = 100,
        RunTime = "20s",
        IterationsPerUser = 2,
        ThinkTime = "0",
        Seed = 7,
        ClientSecret = StubApi.ClientSecret,
        AuditClientId = StubApi.AuditClientId,
        AuditClientSecret = StubApi.AuditClientSecret,
        RegionLabel = name,
        StopTimeout = "2s",
        LedgerWait = "2s",
        Csv = Path.Combine(_directory, name),
        Html = Path.Combine(_directory, name + ".html"),
        Json = Path.Combine(_directory, name + ".json"),
        Thresholds = thresholds,
    };

    [Fact]
    public async Task RunCommand_WritesWellFormedCsvJsonAndHtml()
    {
        await using var api = await StubApi.StartAsync();
        var (console, text) = TestConsole();
        var settings = Settings(api, "eu", "failures<1%", "p99<10s");

        int exit = await RunCommand.ExecuteAsync(console, settings, _ => null, CancellationToken.None);
        output.WriteLine(text.ToString());

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("Aggregated", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("ledger check passed", text.ToString(), StringComparison.Ordinal);

        var stats = Csv(settings.Csv + "_stats.csv");
        Assert.Equal(CsvReport.StatsColumns, stats[0]);
        Assert.Equal(
            ["Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time", "Min Response Time",
             "Max Response Time", "Average Content Size", "Requests/s", "Failures/s", "50%", "66%", "75%", "80%", "90%", "95%", "98%",
             "99%", "99.9%", "99.99%", "100%"],
            stats[0]);
        Assert.Equal(["", "Aggregated"], stats[^1][..2]);
        Assert.Equal(6, stats.Count); // header, 4 endpoints, aggregated
        Assert.All(stats, row => Assert.Equal(22, row.Length));
        Assert.Equal(stats[1..^1].Sum(r => long.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)), long.Parse(stats[^1][2], System.Globalization.CultureInfo.InvariantCulture));

        var history = Csv(settings.Csv + "_stats_history.csv");
        Assert.Equal(CsvReport.HistoryColumns, history[0]);
        Assert.Equal("Timestamp", history[0][0]);
        Assert.Equal("Total Average Content Size", history[0][^1]);
        Assert.All(history, row => Assert.Equal(24, row.Length));
        Assert.Equal(["Method", "Name", "Error", "Occurrences"], Csv(settings.Csv + "_failures.csv")[0]);
        Assert.True(File.Exists(settings.Csv + "_exceptions.csv"));

        var result = RunResult.Load(settings.Json!);
        var run = Assert.Single(result.Runs);
        Assert.All(run.Endpoints, e => Assert.Equal(e.Requests, LatencyHistograms.Decode(e.Histogram).TotalCount));
        using (var json = JsonDocument.Parse(File.ReadAllText(settings.Json!)))
        {
            Assert.Equal("hyperstore-loadtest/1", json.RootElement.GetProperty("schema").GetString());
            Assert.True(json.RootElement.GetProperty("summary").GetProperty("ledgerPassed").GetBoolean());
        }

        string html = File.ReadAllText(settings.Html!);
        var document = XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
        Assert.Equal(4, document.Descendants().Count(e => e.Name.LocalName == "svg"));
        // Wide tables scroll inside their own box instead of widening the page.
        Assert.All(document.Descendants().Where(e => e.Name.LocalName == "table"),
            table => Assert.Equal("wide", (string?)table.Parent!.Attribute("class")));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunCommand_WhenAThresholdFails_ExitsWithTwo()
    {
        await using var api = await StubApi.StartAsync();
        var (console, text) = TestConsole();

        int exit = await RunCommand.ExecuteAsync(console, Settings(api, "eu", "rps>1000000", "failures<1%"), _ => null, CancellationToken.None);

        Assert.Equal(ExitCodes.ThresholdsFailed, exit);
        Assert.Contains("FAIL", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_WhenNoRequestSucceeds_ExitsWithEight()
    {
        await using var api = await StubApi.StartAsync();
        var (console, text) = TestConsole();
        var settings = Settings(api, "eu");
        settings.ClientSecret = "not-the-secret";

        int exit = await RunCommand.ExecuteAsync(console, settings, _ => null, CancellationToken.None);

        Assert.Equal(ExitCodes.NothingSucceeded, exit);
        Assert.Contains("No request succeeded", text.ToString(), StringComparison.Ordinal);
        var view = new StatsView(RunResult.Load(settings.Json!).Runs);
        Assert.True(view.Aggregated.Requests > 0);
    }

    [Fact]
    public async Task RunCommand_WhenTheLedgerIsMissingBuys_ExitsWithFour()
    {
        await using var api = await StubApi.StartAsync();
        api.LoseEveryNthBuy = 3;
        var (console, text) = TestConsole();

        int exit = await RunCommand.ExecuteAsync(console, Settings(api, "eu"), _ => null, CancellationToken.None);

        Assert.Equal(ExitCodes.LedgerFailed, exit);
        Assert.Contains("ledger check FAILED", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_ReadsCredentialsFromTheEnvironment()
    {
        await using var api = await StubApi.StartAsync();
        var (console, _) = TestConsole();
        var settings = Settings(api, "eu");
        settings.ClientSecret = null;
        settings.AuditClientId = null;
        settings.AuditClientSecret = null;
        var environment = new Dictionary<string, string>
        {
            ["HYPERSTORE_CLIENT_ID"] = StubApi.ClientId,
            ["HYPERSTORE_CLIENT_SECRET"] = StubApi.ClientSecret,
            ["HYPERSTORE_AUDIT_CLIENT_ID"] = StubApi.AuditClientId,
            ["HYPERSTORE_AUDIT_CLIENT_SECRET"] = StubApi.AuditClientSecret,
        };

        int exit = await RunCommand.ExecuteAsync(console, settings, environment.GetValueOrDefault, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.True(RunResult.Load(settings.Json!).Runs[0].Ledger!.Passed);
    }

    /// <summary>Runs the stub scenario twice, as eu-west-1 and us-east-1; their settings name the JSON results.</summary>
    private async Task<(RunSettings Eu, RunSettings Us)> TwoRegionResultsAsync(IAnsiConsole console)
    {
        await using var api = await StubApi.StartAsync();
        var eu = Settings(api, "eu-west-1");
        var us = Settings(api, "us-east-1");
        Assert.Equal(ExitCodes.Ok, await RunCommand.ExecuteAsync(console, eu, _ => null, CancellationToken.None));
        Assert.Equal(ExitCodes.Ok, await RunCommand.ExecuteAsync(console, us, _ => null, CancellationToken.None));
        return (eu, us);
    }

    [Fact]
    public async Task MergeCommand_CombinesRegionsIntoOneResultAndReport()
    {
        var (console, text) = TestConsole();
        var (eu, us) = await TwoRegionResultsAsync(console);
        var merge = new MergeSettings
        {
            Results = [eu.Json!, us.Json!],
            Json = Path.Combine(_directory, "all.json"),
            Csv = Path.Combine(_directory, "all"),
            Html = Path.Combine(_directory, "all.html"),
        };

        int exit = MergeCommand.Execute(console, merge);
        output.WriteLine(text.ToString());

        Assert.Equal(ExitCodes.Ok, exit);
        var merged = RunResult.Load(merge.Json);
        Assert.Equal(["eu-west-1", "us-east-1"], merged.Runs.Select(r => r.RegionLabel));
        long separately = new StatsView(RunResult.Load(eu.Json!).Runs).Aggregated.Requests + new StatsView(RunResult.Load(us.Json!).Runs).Aggregated.Requests;
        Assert.Equal(separately, new StatsView(merged.Runs).Aggregated.Requests);
        Assert.Contains("Per region", text.ToString(), StringComparison.Ordinal);
        XDocument.Parse(File.ReadAllText(merge.Html).Replace("<!DOCTYPE html>", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MergeCommand_RefusesAResultWithADamagedHistogram_NamingWhereAndWritingNothing()
    {
        var (console, text) = TestConsole();
        var (eu, us) = await TwoRegionResultsAsync(console);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(us.Json!))!;
        var endpoint = json["runs"]![0]!["endpoints"]![0]!;
        endpoint["histogram"] = "HISTFAAAAAAA";
        File.WriteAllText(us.Json!, json.ToJsonString());
        var merge = new MergeSettings { Results = [eu.Json!, us.Json!], Json = Path.Combine(_directory, "all.json") };
        text.GetStringBuilder().Clear();

        int exit = MergeCommand.Execute(console, merge);
        output.WriteLine(text.ToString());

        Assert.Equal(ExitCodes.Error, exit);
        string said = text.ToString().ReplaceLineEndings("");
        Assert.Contains(Path.GetFileName(us.Json!), said, StringComparison.Ordinal);
        Assert.Contains($"{endpoint["method"]} {endpoint["name"]}", said, StringComparison.Ordinal);
        Assert.Contains("not an encoded latency histogram", said, StringComparison.Ordinal);
        Assert.False(File.Exists(merge.Json));
    }

    [Theory]
    [InlineData("""{"schema":"hyperstore-loadtest/1","runs":null}""")]
    [InlineData("""{"schema":"hyperstore-loadtest/1","runs":[null]}""")]
    [InlineData("""{"schema":"hyperstore-loadtest/1","runs":[{"regionLabel":"x","host":"h","scenario":"s","model":"m","client":null}]}""")]
    [InlineData("""{"schema":"hyperstore-loadtest/1","runs":[{"regionLabel":"x","host":"h","scenario":"s","model":"m","client":{},"endpoints":[null]}]}""")]
    [InlineData("""{"schema":"hyperstore-loadtest/1","runs":[{"regionLabel":"x","host":"h","scenario":"s","model":"m","client":{},"history":null}]}""")]
    public void Load_OfAResultWithNullWhereDataBelongs_IsRefusedByName(string json)
    {
        string path = Path.Combine(_directory, "null.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<InvalidDataException>(() => RunResult.Load(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A small RFC 4180 reader, enough to check the files' shape.</summary>
    private static List<string[]> Csv(string path)
    {
        var rows = new List<string[]>();
        foreach (string line in File.ReadAllText(path).Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }

        return rows;
    }
}
