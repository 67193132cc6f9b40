using Hyperstore.LoadTest.Stats;
using Spectre.Console;

namespace Hyperstore.LoadTest.Reports;

/// <summary>The end-of-run tables: Locust's columns (plus sold-out), failures, per region, client use, ledger.</summary>
internal static class ConsoleReport
{
    public static void Write(IAnsiConsole console, StatsView view, IReadOnlyList<ThresholdResult> thresholds)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        console.Write(StatsTable(view, "Response times (ms)"));
        if (view.Runs.Count > 1)
        {
            var regions = new Table().Title("Per region").Border(TableBorder.Simple);
            foreach (var c in new[] { "Region", "# reqs", "# fails", "# sold out", "Avg", "Med", "p95", "p99", "req/s", "client CPU", "ledger" })
            {
                regions.AddColumn(new TableColumn(c).RightAligned());
            }

            foreach (var (label, region) in view.PerRegion())
            {
                var a = region.Aggregated;
                regions.AddRow(Markup.Escape(label), Format.Count(a.Requests), Format.Count(a.Failures), Format.Count(a.SoldOut),
                    Format.Ms(a.AverageMs), Format.Ms(a.MedianMs), Format.Ms(a.PercentileMs(95)), Format.Ms(a.PercentileMs(99)),
                    Format.Rate(a.RequestsPerSecond), string.Join(" ", region.Runs.Select(r => $"{r.Client.CpuPercentOfMachine:0}%")),
                    LedgerCell(LedgerVerdict.Of(region.Runs)));
            }

            console.Write(regions);
        }

        if (view.Failures.Count > 0)
        {
            var failures = new Table().Title("Failures").Border(TableBorder.Simple);
            failures.AddColumn(new TableColumn("# occurrences").RightAligned()).AddColumn("Type").AddColumn("Name").AddColumn("Error");
            foreach (var f in view.Failures.Take(20))
            {
                failures.AddRow(Format.Count(f.Occurrences), Markup.Escape(f.Method), Markup.Escape(f.Name), Markup.Escape(f.Error));
            }

            console.Write(failures);
        }

        foreach (var run in view.Runs)
        {
            var c = run.Client;
            console.MarkupLine(
                $"[grey]{Markup.Escape(run.RegionLabel)}: client CPU {c.CpuPercentOfMachine:0.0}% of {c.ProcessorCount} cores " +
                $"(peak {c.MaxCpuPercent:0}% of one core), {c.AllocatedBytes / 1048576.0:0} MiB allocated, " +
                $"{c.Gen0Collections} gen0 / {c.Gen2Collections} gen2 GCs pausing it {c.GcPauseSeconds:0.00} s{(c.NoGcRegion is null ? "" : $" ({Markup.Escape(c.NoGcRegion)})")}, connections {Markup.Escape(c.ConnectionMode)}, " +
                $"{Format.Count(run.Iterations)} iterations{(run.DroppedIterations > 0 ? $", [yellow]{Format.Count(run.DroppedIterations)} dropped[/]" : "")}[/]");
            if (c.CpuPercentOfMachine > 80)
            {
                console.MarkupLine("[yellow]Warning: the load client used over 80% of the machine's CPU; it may be the bottleneck.[/]");
            }

            WriteLedger(console, run);
        }

        if (thresholds.Count > 0)
        {
            var table = new Table().Title("Thresholds").Border(TableBorder.Simple);
            table.AddColumn("Threshold").AddColumn(new TableColumn("Actual").RightAligned()).AddColumn("Result");
            foreach (var t in thresholds)
            {
                table.AddRow(Markup.Escape(t.Threshold.Text), Markup.Escape(t.ActualText), t.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
            }

            console.Write(table);
        }
    }

    public static Table StatsTable(StatsView view, string title)
    {
        ArgumentNullException.ThrowIfNull(view);
        var table = new Table().Title(title).Border(TableBorder.Simple);
        table.AddColumn("Type").AddColumn("Name");
        foreach (var c in new[] { "# reqs", "# fails", "# sold out", "Avg", "Min", "Max", "Med", "p95", "p99", "req/s", "failures/s" })
        {
            table.AddColumn(new TableColumn(c).RightAligned());
        }

        foreach (var e in view.EndpointsAndAggregated)
        {
            if (e.IsAggregated)
            {
                table.AddEmptyRow();
            }

            string fails = $"{Format.Count(e.Failures)}({Format.Percent(e.FailureRatio)})";
            table.AddRow(
                Markup.Escape(e.Method), e.IsAggregated ? "[bold]Aggregated[/]" : Markup.Escape(e.Name),
                Format.Count(e.Requests), e.Failures > 0 ? $"[red]{fails}[/]" : fails, Format.Count(e.SoldOut),
                Format.Ms(e.AverageMs), Format.Ms(e.MinMs), Format.Ms(e.MaxMs), Format.Ms(e.MedianMs),
                Format.Ms(e.PercentileMs(95)), Format.Ms(e.PercentileMs(99)),
                Format.Rate(e.RequestsPerSecond), Format.Rate(e.FailuresPerSecond));
        }

        return table;
    }

    private static void WriteLedger(IAnsiConsole console, RunPart run)
    {
        string label = Markup.Escape(run.RegionLabel);
        switch (run.Ledger)
        {
            case null or { Checked: false }:
                console.MarkupLine($"[yellow]{label}: ledger check skipped: {Markup.Escape(run.Ledger?.SkippedReason ?? "not run")}[/]");
                break;
            case { Passed: true } l:
                console.MarkupLine(
                    $"[green]{label}: ledger check passed[/]: {Format.Count(l.FoundInLedger)}/{Format.Count(l.AcceptedBuys)} accepted buys in the ledger, " +
                    $"{Format.Count(l.EventsScanned)} events scanned, no negative stock, read model {l.EventsBehindAtEnd} events behind at the end, " +
                    $"caught up in {l.CatchUpSeconds:0.###} s");
                break;
            case { } l:
                console.MarkupLine($"[red]{label}: ledger check FAILED[/]: {Markup.Escape(string.Join("; ", l.Problems))}");
                foreach (var missing in l.MissingSample.Take(5))
                {
                    console.MarkupLine($"[red]  missing: {Markup.Escape(missing)}[/]");
                }

                break;
        }
    }

    private static string LedgerCell(bool? verdict) => verdict switch
    {
        true => "[green]passed[/]",
        false => "[red]FAILED[/]",
        null => "[yellow]skipped[/]",
    };
}
