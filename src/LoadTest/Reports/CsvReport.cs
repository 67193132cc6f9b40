using System.Globalization;
using System.Text;
using HdrHistogram;
using Hyperstore.LoadTest.Stats;

namespace Hyperstore.LoadTest.Reports;

/// <summary>
/// Locust's CSV files, same names and columns, so whatever read the old results reads ours:
/// <c>PREFIX_stats.csv</c>, <c>PREFIX_stats_history.csv</c> (the Aggregated row each second),
/// <c>PREFIX_failures.csv</c> and <c>PREFIX_exceptions.csv</c>. Times in ms as Locust writes them:
/// median and percentiles whole, average/min/max with decimals.
/// </summary>
internal static class CsvReport
{
    public static readonly IReadOnlyList<double> Percentiles = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100];

    public static IReadOnlyList<string> PercentileHeaders { get; } =
        [.. Percentiles.Select(p => p.ToString("0.##", CultureInfo.InvariantCulture) + "%")];

    public static IReadOnlyList<string> StatsColumns { get; } =
    [
        "Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time",
        "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s", .. PercentileHeaders,
    ];

    public static IReadOnlyList<string> HistoryColumns { get; } =
    [
        "Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s", .. PercentileHeaders,
        "Total Request Count", "Total Failure Count", "Total Median Response Time", "Total Average Response Time",
        "Total Min Response Time", "Total Max Response Time", "Total Average Content Size",
    ];

    public static IReadOnlyList<string> FailuresColumns { get; } = ["Method", "Name", "Error", "Occurrences"];

    public static IReadOnlyList<string> ExceptionsColumns { get; } = ["Count", "Message", "Traceback", "Nodes"];

    /// <summary>Writes the four files and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string prefix, StatsView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        string directory = Path.GetDirectoryName(Path.GetFullPath(prefix))!;
        Directory.CreateDirectory(directory);
        var paths = new[] { prefix + "_stats.csv", prefix + "_stats_history.csv", prefix + "_failures.csv", prefix + "_exceptions.csv" };
        File.WriteAllText(paths[0], Stats(view));
        File.WriteAllText(paths[1], History(view));
        File.WriteAllText(paths[2], Failures(view));
        File.WriteAllText(paths[3], Line(ExceptionsColumns));
        return paths;
    }

    public static string Stats(StatsView view)
    {
        var csv = new StringBuilder(Line(StatsColumns));
        foreach (var e in view.EndpointsAndAggregated)
        {
            csv.Append(Line(
            [
                e.Method, e.Name, Int(e.Requests), Int(e.Failures), Whole(e.MedianMs), Real(e.AverageMs), Real(e.MinMs), Real(e.MaxMs),
                Real(e.AverageContentSize), Real(e.RequestsPerSecond), Real(e.FailuresPerSecond),
                .. Percentiles.Select(p => e.Requests == 0 ? "N/A" : Whole(e.PercentileMs(p))),
            ]));
        }

        return csv.ToString();
    }

    /// <summary>Per second: current rates, and (as Locust writes them) the percentiles and totals so far.</summary>
    public static string History(StatsView view)
    {
        var csv = new StringBuilder(Line(HistoryColumns));
        var total = new EndpointStats("", EndpointStats.AggregatedName);
        foreach (var point in view.History)
        {
            total.Add(ToStats(point));
            csv.Append(Line(
            [
                Int(point.T), Int(point.Users), "", EndpointStats.AggregatedName,
                Rate(point.Requests), Rate(point.Failures),
                .. Percentiles.Select(p => total.Requests == 0 ? "N/A" : Whole(total.PercentileMs(p))),
                Int(total.Requests), Int(total.Failures), Whole(total.MedianMs), Real(total.AverageMs),
                Real(total.MinMs), Real(total.MaxMs), Real(total.AverageContentSize),
            ]));
        }

        return csv.ToString();
    }

    public static string Failures(StatsView view)
    {
        var csv = new StringBuilder(Line(FailuresColumns));
        foreach (var f in view.Failures)
        {
            csv.Append(Line([f.Method, f.Name, f.Error, Int(f.Occurrences)]));
        }

        return csv.ToString();
    }

    /// <summary>One second of history as endpoint statistics, so totals accumulate exactly.</summary>
    public static EndpointStats ToStats(HistoryPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var stats = new EndpointStats("", EndpointStats.AggregatedName) { DurationSeconds = 1 };
        stats.Add(new EndpointRecord
        {
            Method = "",
            Name = EndpointStats.AggregatedName,
            Requests = point.Requests,
            Failures = point.Failures,
            SoldOut = point.SoldOut,
            SumMicros = point.SumMicros,
            MinMicros = point.MinMicros,
            MaxMicros = point.MaxMicros,
            ContentBytes = point.ContentBytes,
        });
        stats.Histogram.Add(point.Histogram);
        return stats;
    }

    private static string Int(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Whole(double ms) => Math.Round(ms, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);

    private static string Real(double value) => value.ToString("0.0##############", CultureInfo.InvariantCulture);

    // Locust writes the history rates with Python's "%2f": six decimals.
    private static string Rate(long perSecond) => perSecond.ToString("0.000000", CultureInfo.InvariantCulture);

    private static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote)) + "\r\n";

    // RFC 4180, as Python's csv module writes it (which also ends lines with \r\n).
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
