using Hyperstore.Api.Hosting;
using Xunit;

namespace Hyperstore.Api.Tests;

public class RepeatedWarningTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fail_EverySecondForTwoMinutes_LogsTheFirstThenOncePerMinute()
    {
        var warning = new RepeatedWarning(TimeSpan.FromMinutes(1));

        var logged = Enumerable.Range(0, 121).Where(second => warning.Fail(Start.AddSeconds(second))).ToList();

        Assert.Equal([0, 60, 120], logged);
        Assert.Equal(121, warning.Failures);
    }

    [Fact]
    public void Succeed_AfterFailures_ReturnsTheirCountAndTheNextFailureIsLoggedAgain()
    {
        var warning = new RepeatedWarning(TimeSpan.FromMinutes(1));
        warning.Fail(Start);
        warning.Fail(Start.AddSeconds(1));

        Assert.Equal(2, warning.Succeed());
        Assert.Equal(0, warning.Succeed());
        Assert.True(warning.Fail(Start.AddSeconds(2)));
    }
}
