using Hyperstore.Api.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Hyperstore.Api.Tests;

/// <summary>The 10-second statistics line that the CloudWatch 5xx-rate and p99 alarms read.</summary>
public class RequestStatsReporterTests
{
    [Fact]
    public async Task Report_OnStop_LogsRequestsErrorsAndPercentilesUnderTheFieldNamesTheAlarmsRead()
    {
        var logger = new CapturingLogger();
        var reporter = new RequestStatsReporter(logger);
        await reporter.StartAsync(CancellationToken.None);
        for (var i = 0; i < 99; i++)
        {
            reporter.Record(200, TimeSpan.FromMilliseconds(2));
        }
        reporter.Record(503, TimeSpan.FromMilliseconds(300));

        await reporter.StopAsync(CancellationToken.None);

        var state = Assert.Single(logger.States);
        Assert.Equal(100L, state["Requests"]);
        Assert.Equal(1L, state["Errors5xx"]);
        Assert.InRange((double)state["P50Ms"]!, 1.9, 2.1);
        Assert.InRange((double)state["P99Ms"]!, 1.9, 2.1);
        Assert.InRange((double)state["MaxMs"]!, 299, 301);
    }

    [Fact]
    public async Task Record_FromManyThreadsAtOnce_CountsEveryRequestAndReportsWithoutError()
    {
        // A non-concurrent histogram here once corrupted its counts under load and the report threw, stopping the API.
        var logger = new CapturingLogger();
        var reporter = new RequestStatsReporter(logger);
        await reporter.StartAsync(CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                reporter.Record(200, TimeSpan.FromMicroseconds(100 + (i % 5000)));
            }
        })));
        await reporter.StopAsync(CancellationToken.None);

        var state = Assert.Single(logger.States);
        Assert.Equal(400_000L, state["Requests"]);
        Assert.InRange((double)state["P99Ms"]!, 4.9, 5.2);
    }

    [Fact]
    public async Task Report_WithNoRequests_LogsNothing()
    {
        var logger = new CapturingLogger();
        var reporter = new RequestStatsReporter(logger);
        await reporter.StartAsync(CancellationToken.None);

        await reporter.StopAsync(CancellationToken.None);

        Assert.Empty(logger.States);
    }

    private sealed class CapturingLogger : ILogger<RequestStatsReporter>
    {
        public List<Dictionary<string, object?>> States { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "RequestStats" && state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                States.Add(fields.ToDictionary(f => f.Key, f => f.Value));
            }
        }
    }
}
