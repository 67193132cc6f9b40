using System.Globalization;
using System.Net;
using System.Text;
using Hyperstore.LoadTest.Stats;

namespace Hyperstore.LoadTest.Reports;

/// <summary>
/// The self-contained HTML report: tables and inline SVG charts, no script and no external resource,
/// so it opens offline. Written as well-formed XHTML-compatible markup.
/// </summary>
internal static class HtmlReport
{
    /// <summary>Charts show at most this many points; longer runs are put into wider buckets (histograms merged).</summary>
    public const int MaxChartPoints = 600;

    // Each table scrolls in its own box on a narrow screen instead of widening the page (the .wide rule).
    private const string TableStart = "<div class=\"wide\"><table>";
    private const string TableEnd = "</table></div>";

    private const string Css = """
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#1d2330;padding:0 16px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde;padding-bottom:4px}
        .wide{overflow-x:auto}table{border-collapse:collapse;width:100%;margin:6px 0}th,td{padding:4px 8px;border-bottom:1px solid #eef;text-align:right;white-space:nowrap}
        th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}tr.total td{font-weight:600;border-top:2px solid #ccd}
        .meta{color:#556;margin:0 0 12px}.ok{color:#1a7f37;font-weight:600}.bad{color:#c62828;font-weight:600}.warn{color:#a86b00;font-weight:600}
        .chart{width:100%;height:auto;margin:8px 0}.chart .title{font-weight:600;font-size:13px}.chart .axis,.chart .legend{font-size:11px;fill:#556}
        .chart .grid{stroke:#e5e7ef;stroke-width:1}td.wrap{white-space:normal;text-align:left}
        """;

    public static string Render(StatsView view, IReadOnlyList<ThresholdResult> thresholds)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(thresholds);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
            .Append("<title>Hyperstore load test ").Append(E(view.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append("</title>")
            .Append("<style>").Append(Css).Append("</style></head><body>");

        var first = view.Runs[0];
        bool? ledger = LedgerVerdict.Of(view.Runs);
        bool thresholdsOk = thresholds.All(t => t.Passed);
        html.Append("<h1>Hyperstore load test</h1><p class=\"meta\">")
            .Append(E($"{view.StartedAt:yyyy-MM-dd HH:mm:ss} – {view.EndedAt:HH:mm:ss} UTC ({Format.Duration(view.EndedAt - view.StartedAt)}), "))
            .Append(E($"scenario {string.Join(", ", view.Runs.Select(r => r.Scenario).Distinct())}, {first.Model} model, "))
            .Append(E($"{view.PeakUsers} users at peak, {view.Runs.Count} region(s): {string.Join(", ", view.Runs.Select(r => r.RegionLabel))}. "))
            .Append("Ledger: ").Append(Verdict(ledger, "passed", "FAILED", "not checked"))
            .Append(thresholds.Count == 0 ? "" : ". Thresholds: " + Verdict(thresholdsOk, "passed", "FAILED", ""))
            .Append(".</p>");

        html.Append("<h2>Request statistics</h2>").Append(StatsTable(view));
        html.Append("<h2>Response time percentiles (ms)</h2>" + TableStart + "<tr><th>Type</th><th>Name</th>");
        foreach (var header in CsvReport.PercentileHeaders)
        {
            html.Append("<th>").Append(E(header)).Append("</th>");
        }

        html.Append("<th># reqs</th></tr>");
        foreach (var e in view.EndpointsAndAggregated)
        {
            html.Append(e.IsAggregated ? "<tr class=\"total\">" : "<tr>").Append(Td(e.Method)).Append(Td(e.Name));
            foreach (double p in CsvReport.Percentiles)
            {
                html.Append(Td(Format.Ms(e.PercentileMs(p))));
            }

            html.Append(Td(Format.Count(e.Requests))).Append("</tr>");
        }

        html.Append(TableEnd);

        html.Append("<h2>Charts</h2>").Append(Charts(view));

        if (view.Runs.Count > 1)
        {
            html.Append("<h2>Per region</h2>");
            foreach (var (label, region) in view.PerRegion())
            {
                html.Append("<h3>").Append(E(label)).Append("</h3>").Append(StatsTable(region));
            }
        }

        html.Append("<h2>Failures</h2>");
        if (view.Failures.Count == 0)
        {
            html.Append("<p>No failures.</p>");
        }
        else
        {
            html.Append(TableStart + "<tr><th>Type</th><th>Name</th><th># occurrences</th><th>Error</th></tr>");
            foreach (var f in view.Failures)
            {
                html.Append("<tr>").Append(Td(f.Method)).Append(Td(f.Name)).Append(Td(Format.Count(f.Occurrences)))
                    .Append("<td class=\"wrap\">").Append(E(f.Error)).Append("</td></tr>");
            }

            html.Append(TableEnd);
        }

        html.Append("<h2>Ledger check</h2>" + TableStart + "<tr><th>Region</th><th>Result</th><th>Accepted buys</th><th>In ledger</th><th>Events scanned</th><th>Negative stock</th><th>Behind at end</th><th>Caught up in</th><th>Stock (write/replay/read)</th></tr>");
        foreach (var run in view.Runs)
        {
            var l = run.Ledger;
            html.Append("<tr>").Append(Td(run.RegionLabel));
            if (l is null or { Checked: false })
            {
                html.Append("<td class=\"warn\">skipped</td><td class=\"wrap\" colspan=\"7\">").Append(E(l?.SkippedReason ?? "")).Append("</td></tr>");
                continue;
            }

            html.Append("<td>").Append(Verdict(l.Passed, "passed", "FAILED", "")).Append("</td>")
                .Append(Td(Format.Count(l.AcceptedBuys))).Append(Td(Format.Count(l.FoundInLedger))).Append(Td(Format.Count(l.EventsScanned)))
                .Append(Td(Format.Count(l.NegativeStockEvents))).Append(Td(l.EventsBehindAtEnd?.ToString(CultureInfo.InvariantCulture) ?? "–"))
                .Append(Td(l.ReadModelCaughtUp ? $"{l.CatchUpSeconds:0.###} s" : "not caught up"))
                .Append(Td($"{l.WriteStock}/{l.ReplayStock}/{l.ReadModelStock}")).Append("</tr>");
            if (l.Problems.Count > 0)
            {
                html.Append("<tr><td></td><td class=\"wrap bad\" colspan=\"8\">").Append(E(string.Join("; ", l.Problems))).Append("</td></tr>");
            }
        }

        html.Append(TableEnd);

        if (thresholds.Count > 0)
        {
            html.Append("<h2>Thresholds</h2>" + TableStart + "<tr><th>Threshold</th><th>Actual</th><th>Result</th></tr>");
            foreach (var t in thresholds)
            {
                html.Append("<tr>").Append(Td(t.Threshold.Text)).Append(Td(t.ActualText))
                    .Append("<td>").Append(Verdict(t.Passed, "pass", "FAIL", "")).Append("</td></tr>");
            }

            html.Append(TableEnd);
        }

        html.Append("<h2>Load client</h2>" + TableStart + "<tr><th>Region</th><th>Host</th><th>Users</th><th>Spawn rate</th><th>Think time</th><th>Seed</th><th>Iterations</th><th>Dropped</th><th>CPU (machine)</th><th>Peak CPU (one core)</th><th>Connections</th></tr>");
        foreach (var r in view.Runs)
        {
            html.Append("<tr>").Append(Td(r.RegionLabel)).Append(Td(r.Host + (r.Region is null ? "" : $" (region {r.Region})")))
                .Append(Td(r.Users.ToString(CultureInfo.InvariantCulture)))
                .Append(Td(r.ArrivalRate is { } a ? $"{a}/s arrivals" : $"{r.SpawnRate}/s"))
                .Append(Td($"{r.ThinkMinSeconds}–{r.ThinkMaxSeconds} s")).Append(Td(r.Seed.ToString(CultureInfo.InvariantCulture)))
                .Append(Td(Format.Count(r.Iterations))).Append(Td(Format.Count(r.DroppedIterations)))
                .Append(Td($"{r.Client.CpuPercentOfMachine:0.0}% of {r.Client.ProcessorCount}"))
                .Append(Td($"{r.Client.MaxCpuPercent:0}%")).Append(Td(r.Client.ConnectionMode)).Append("</tr>");
        }

        html.Append(TableEnd).Append("<p class=\"meta\">Latencies from HdrHistogram (3 significant digits), merged exactly across regions; the JSON result keeps the histograms.</p>");
        return html.Append("</body></html>\n").ToString();
    }

    private static string Charts(StatsView view)
    {
        long t0 = view.StartedAt.ToUnixTimeSeconds();
        int bucket = Math.Max(1, (int)Math.Ceiling(view.History.Count / (double)MaxChartPoints));
        var points = view.History
            .Select((h, i) => (h, i))
            .GroupBy(p => p.i / bucket, p => p.h)
            .Select(g => (X: g.Last().T - t0, Stats: Merge(g), Users: g.Max(h => h.Users), Cpu: g.Max(h => h.CpuPercent), Seconds: g.Count()))
            .ToList();

        static SvgChart.Series S(string name, string color, IEnumerable<(double, double)> values) => new(name, color, [.. values]);
        var withRequests = points.Where(p => p.Stats.Requests > 0).ToList();
        return string.Concat(
            SvgChart.Line("Response time percentiles (per second)", " ms",
            [
                S("p50", "#2e7d32", withRequests.Select(p => ((double)p.X, p.Stats.MedianMs))),
                S("p95", "#f9a825", withRequests.Select(p => ((double)p.X, p.Stats.PercentileMs(95)))),
                S("p99", "#c62828", withRequests.Select(p => ((double)p.X, p.Stats.PercentileMs(99)))),
            ]),
            SvgChart.Line("Requests and failures per second", "/s",
            [
                S("requests/s", "#1565c0", points.Select(p => ((double)p.X, p.Stats.Requests / (double)p.Seconds))),
                S("failures/s", "#c62828", points.Select(p => ((double)p.X, p.Stats.Failures / (double)p.Seconds))),
                S("sold out/s", "#8e24aa", points.Select(p => ((double)p.X, p.Stats.SoldOut / (double)p.Seconds))),
            ]),
            SvgChart.Line("Users", "",
            [
                S("users", "#00838f", points.Select(p => ((double)p.X, (double)p.Users))),
            ]),
            SvgChart.Line("Load client CPU (% of one core, busiest region)", "%",
            [
                S("cpu", "#6d4c41", points.Select(p => ((double)p.X, p.Cpu))),
            ]));
    }

    private static EndpointStats Merge(IEnumerable<HistoryPoint> points)
    {
        var stats = new EndpointStats("", EndpointStats.AggregatedName);
        foreach (var point in points)
        {
            stats.Add(CsvReport.ToStats(point));
        }

        return stats;
    }

    private static string StatsTable(StatsView view)
    {
        var html = new StringBuilder(TableStart + "<tr><th>Type</th><th>Name</th><th># reqs</th><th># fails</th><th># sold out</th><th>Avg</th><th>Min</th><th>Max</th><th>Med</th><th>p95</th><th>p99</th><th>req/s</th><th>failures/s</th></tr>");
        foreach (var e in view.EndpointsAndAggregated)
        {
            html.Append(e.IsAggregated ? "<tr class=\"total\">" : "<tr>")
                .Append(Td(e.Method)).Append(Td(e.Name)).Append(Td(Format.Count(e.Requests)))
                .Append(Td($"{Format.Count(e.Failures)} ({Format.Percent(e.FailureRatio)})")).Append(Td(Format.Count(e.SoldOut)))
                .Append(Td(Format.Ms(e.AverageMs))).Append(Td(Format.Ms(e.MinMs))).Append(Td(Format.Ms(e.MaxMs)))
                .Append(Td(Format.Ms(e.MedianMs))).Append(Td(Format.Ms(e.PercentileMs(95)))).Append(Td(Format.Ms(e.PercentileMs(99))))
                .Append(Td(Format.Rate(e.RequestsPerSecond))).Append(Td(Format.Rate(e.FailuresPerSecond))).Append("</tr>");
        }

        return html.Append(TableEnd).ToString();
    }

    private static string Verdict(bool? value, string yes, string no, string none) => value switch
    {
        true => $"<span class=\"ok\">{yes}</span>",
        false => $"<span class=\"bad\">{no}</span>",
        null => $"<span class=\"warn\">{none}</span>",
    };

    private static string Td(string text) => "<td>" + E(text) + "</td>";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
