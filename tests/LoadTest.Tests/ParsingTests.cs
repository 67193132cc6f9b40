using Hyperstore.LoadTest.Cli;
using Hyperstore.LoadTest.Reports;
using Hyperstore.LoadTest.Stats;
using Xunit;

namespace Hyperstore.LoadTest.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("Unknown option 'user'", "run", "--user", "1000")]
    [InlineData("must be positive", "run", "-u", "0")]
    [InlineData("--request-timeout must be longer than 0", "run", "--request-timeout", "0")]
    [InlineData("--no-gc-mb must be 0 (off) or more", "run", "--no-gc-mb", "-1")]
    [InlineData("does not exist", "merge", "/nonexistent/result.json")]
    public async Task CommandLine_RefusesBadOptionsWithExitCode1(string message, params string[] args)
    {
        var (console, text) = TestConsoles.Create();

        int exit = await LoadTestApp.Create(console).RunAsync(args);

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains(message, text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_AnUnexpectedErrorPrintsItsStackTraceWithExitCode70()
    {
        var (console, text) = TestConsoles.Create();
        Exception thrown;
        try
        {
            throw new InvalidOperationException("something no check foresaw");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        int exit = LoadTestApp.HandleError(console, thrown);

        Assert.Equal(ExitCodes.Unexpected, exit);
        Assert.Contains("something no check foresaw", text.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(CommandLine_AnUnexpectedErrorPrintsItsStackTraceWithExitCode70), text.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90", 90_000)]
    [InlineData("90s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1m30s", 90_000)]
    public void Duration_Parses(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Durations.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("-3")]
    public void Duration_RejectsNonsense(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void ThinkTime_IsARangeOrOneValue()
    {
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), Durations.ParseRange("1-2"));
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)), Durations.ParseRange("500ms-1s"));
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), Durations.ParseRange("0"));
        Assert.Throws<FormatException>(() => Durations.ParseRange("2-1"));
    }

    [Theory]
    [InlineData("p99<50ms", "p99", null, "<", 50, false)]
    [InlineData("p99.9 <= 1s", "p99.9", null, "<=", 1000, false)]
    [InlineData("failures<0.1%", "failures", null, "<", 0.1, true)]
    [InlineData("avg[GET /api/hyper]<20ms", "avg", "GET /api/hyper", "<", 20, false)]
    [InlineData("median<500us", "med", null, "<", 0.5, false)]
    [InlineData("rps>100", "rps", null, ">", 100, false)]
    [InlineData("dropped==0", "dropped", null, "==", 0, false)]
    public void Threshold_Parses(string text, string metric, string? endpoint, string op, double value, bool percent)
    {
        var t = Threshold.Parse(text);
        Assert.Equal((metric, endpoint, op, percent), (t.Metric, t.Endpoint, t.Operator, t.IsPercent));
        Assert.Equal(value, t.Value, 9);
    }

    [Theory]
    [InlineData("p99")]
    [InlineData("latency<5ms")]
    [InlineData("p101<5ms")]
    [InlineData("rps<5ms")]
    [InlineData("avg<5%")]
    public void Threshold_RejectsNonsense(string text) => Assert.Throws<FormatException>(() => Threshold.Parse(text));

    [Fact]
    public void Threshold_EvaluatesOnAggregatedOrOneEndpoint()
    {
        var recorder = new StatsRecorder();
        for (int i = 1; i <= 100; i++)
        {
            recorder.Record("GET", "/api/hyper", i * 1000, 10, Outcome.Success);
            recorder.Record("PUT", "/api/hyper/own", 200_000, 10, i <= 2 ? Outcome.Failure : Outcome.Success, "HTTP 500");
        }

        var now = DateTimeOffset.UtcNow;
        var view = new StatsView([new RunPart
        {
            RegionLabel = "eu", Host = "http://127.0.0.1/", Scenario = "store", Model = "closed", StartedAt = now, EndedAt = now.AddSeconds(10),
            Client = new ClientUsage(), Endpoints = recorder.EndpointRecords(), Failures = recorder.FailureRecords(),
        }]);

        Assert.True(Threshold.Parse("p99[GET /api/hyper]<100ms").Evaluate(view).Passed);
        Assert.False(Threshold.Parse("p99<100ms").Evaluate(view).Passed);
        Assert.True(Threshold.Parse("failures<=1%").Evaluate(view).Passed);
        Assert.False(Threshold.Parse("failures[/api/hyper/own]<1%").Evaluate(view).Passed);
        Assert.Equal(20, Threshold.Parse("rps>1").Evaluate(view).Actual, 9);
        Assert.Equal(2, Threshold.Parse("failures<5").Evaluate(view).Actual);
        var misspelt = Threshold.Parse("failures[PUT /api/hyper/buy]<1%").Evaluate(view);
        Assert.False(misspelt.Passed);
        Assert.Equal("no such endpoint in the results", misspelt.ActualText);
    }
}
