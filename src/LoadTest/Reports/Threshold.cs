using System.Globalization;
using System.Text.RegularExpressions;
using Hyperstore.LoadTest.Stats;

namespace Hyperstore.LoadTest.Reports;

/// <summary>
/// A pass/fail condition on the result, like k6's: <c>p99&lt;50ms</c>, <c>failures&lt;0.1%</c>,
/// <c>avg[GET /api/hyper]&lt;=20ms</c>, <c>rps&gt;100</c>, <c>dropped==0</c>, <c>cpu&lt;80%</c>.
/// Metrics: avg, min, max, med, pNN (e.g. p95, p99.9), rps, requests, failures (count, or ratio with %),
/// sold_out (count or %), dropped, cpu (client CPU, % of the machine). Latency units: us, ms (default), s.
/// </summary>
internal sealed partial record Threshold(string Text, string Metric, string? Endpoint, string Operator, double Value, bool IsPercent)
{
    public static Threshold Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = Grammar().Match(text.Trim());
        if (!m.Success)
        {
            throw new FormatException($"'{text}' is not a threshold; write e.g. p99<50ms, failures<0.1%, avg[GET /api/hyper]<20ms.");
        }

        string metric = m.Groups["metric"].Value.ToLowerInvariant();
        if (metric == "median" || metric == "p50")
        {
            metric = "med";
        }

        string unit = m.Groups["unit"].Value.ToLowerInvariant();
        double value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        bool latency = metric is "avg" or "min" or "max" or "med" || metric.StartsWith('p');
        if (latency)
        {
            value = unit switch
            {
                "" or "ms" => value,
                "s" => value * 1000,
                "us" => value / 1000,
                _ => throw new FormatException($"'{text}': a latency takes us, ms or s, not '{unit}'."),
            };
            if (metric.StartsWith('p') && !double.TryParse(metric[1..], NumberStyles.Float, CultureInfo.InvariantCulture, out double p) | p is <= 0 or > 100)
            {
                throw new FormatException($"'{text}': '{metric}' is not a percentile between p0 and p100.");
            }
        }
        else if (metric is not ("rps" or "requests" or "failures" or "sold_out" or "dropped" or "cpu"))
        {
            throw new FormatException($"'{text}': unknown metric '{metric}'.");
        }
        else if (unit.Length > 0 && unit != "%" && !(metric == "rps" && unit == "/s"))
        {
            throw new FormatException($"'{text}': '{metric}' takes no unit '{unit}'.");
        }

        string endpoint = m.Groups["endpoint"].Value.Trim();
        return new Threshold(text.Trim(), metric, endpoint.Length == 0 ? null : endpoint, m.Groups["op"].Value, value, unit == "%");
    }

    public ThresholdResult Evaluate(StatsView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (Select(view) is not { } stats)
        {
            // A misspelt endpoint, or one the scenario never calls, would otherwise pass on an empty row's zeros.
            return new ThresholdResult(this, double.NaN, "no such endpoint in the results", Passed: false);
        }
        double actual = Metric switch
        {
            "avg" => stats.AverageMs,
            "min" => stats.MinMs,
            "max" => stats.MaxMs,
            "med" => stats.MedianMs,
            "rps" => stats.RequestsPerSecond,
            "requests" => stats.Requests,
            "failures" => IsPercent ? stats.FailureRatio * 100 : stats.Failures,
            "sold_out" => IsPercent ? (stats.Requests == 0 ? 0 : 100.0 * stats.SoldOut / stats.Requests) : stats.SoldOut,
            "dropped" => view.DroppedIterations,
            "cpu" => view.Runs.Max(r => r.Client.CpuPercentOfMachine),
            _ => stats.PercentileMs(double.Parse(Metric[1..], CultureInfo.InvariantCulture)),
        };
        bool passed = Operator switch
        {
            "<" => actual < Value,
            "<=" => actual <= Value,
            ">" => actual > Value,
            ">=" => actual >= Value,
            _ => Math.Abs(actual - Value) < 1e-9,
        };
        string unit = Metric is "avg" or "min" or "max" or "med" || Metric.StartsWith('p') && Metric != "rps" ? " ms"
            : IsPercent || Metric == "cpu" ? "%" : "";
        return new ThresholdResult(this, actual, actual.ToString("0.###", CultureInfo.InvariantCulture) + unit, passed);
    }

    private EndpointStats? Select(StatsView view)
    {
        if (Endpoint is null)
        {
            return view.Aggregated;
        }

        var matches = view.Endpoints.Where(e => $"{e.Method} {e.Name}" == Endpoint || e.Name == Endpoint).ToList();
        if (matches.Count == 0)
        {
            return null;
        }
        var selected = new EndpointStats("", Endpoint) { DurationSeconds = view.DurationSeconds };
        foreach (var e in matches)
        {
            selected.Add(e);
        }

        return selected;
    }

    [GeneratedRegex(@"^(?<metric>[A-Za-z_]+|p\d+(\.\d+)?)(\[(?<endpoint>[^\]]+)\])?\s*(?<op><=|>=|==|<|>)\s*(?<value>\d+(\.\d+)?)\s*(?<unit>us|ms|s|%|/s)?$")]
    private static partial Regex Grammar();
}

internal sealed record ThresholdResult(Threshold Threshold, double Actual, string ActualText, bool Passed);
