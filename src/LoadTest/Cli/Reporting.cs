using Hyperstore.LoadTest.Reports;
using Hyperstore.LoadTest.Stats;
using Spectre.Console;

namespace Hyperstore.LoadTest.Cli;

/// <summary>What <c>run</c> and <c>merge</c> do with a result: the tables, the files, the thresholds, the exit code.</summary>
internal static class Reporting
{
    public static int Report(IAnsiConsole console, RunResult result, OutputSettings output)
    {
        var view = new StatsView(result.Runs);
        var thresholds = output.Thresholds.Select(t => Threshold.Parse(t).Evaluate(view)).ToList();
        ConsoleReport.Write(console, view, thresholds);

        if (output.Json is { } json)
        {
            EnsureDirectory(json);
            result.Save(json);
            console.MarkupLine($"[grey]JSON result: {Markup.Escape(json)}[/]");
        }

        if (output.Csv is { } prefix)
        {
            var paths = CsvReport.Write(prefix, view);
            console.MarkupLine($"[grey]CSV: {Markup.Escape(string.Join(", ", paths))}[/]");
        }

        if (output.Html is { } html)
        {
            EnsureDirectory(html);
            File.WriteAllText(html, HtmlReport.Render(view, thresholds));
            console.MarkupLine($"[grey]HTML report: {Markup.Escape(html)}[/]");
        }

        int exit = ExitCodes.Ok;
        if (thresholds.Any(t => !t.Passed))
        {
            exit |= ExitCodes.ThresholdsFailed;
        }

        if (LedgerVerdict.Of(result.Runs) == false)
        {
            exit |= ExitCodes.LedgerFailed;
        }

        if (view.Aggregated.Requests == view.Aggregated.Failures)
        {
            console.MarkupLine("[red]No request succeeded: the run measured nothing.[/]");
            exit |= ExitCodes.NothingSucceeded;
        }

        return exit;
    }

    private static void EnsureDirectory(string file)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
    }
}
