using Hyperstore.LoadTest.Stats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Hyperstore.LoadTest.Cli;

/// <summary><c>merge</c>: combine the JSON results of several runs (regions) into one result and report.</summary>
internal sealed class MergeCommand : AsyncCommand<MergeSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, MergeSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Execute(AnsiConsole.Console, settings));

    public static int Execute(IAnsiConsole console, MergeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(settings);
        RunResult merged;
        try
        {
            merged = Merge(settings.Results.Select(RunResult.Load));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return ExitCodes.Error;
        }

        var labels = merged.Runs.Select(r => r.RegionLabel).ToList();
        console.MarkupLine($"[grey]Merged {merged.Runs.Count} runs: {Markup.Escape(string.Join(", ", labels))}[/]");
        if (labels.Distinct().Count() < labels.Count)
        {
            console.MarkupLine("[yellow]Warning: some runs share a region label; the per-region breakdown puts them together.[/]");
        }

        return Reporting.Report(console, merged, settings);
    }

    /// <summary>Merging keeps every run: the figures are summed from their data when reported, so nothing is averaged.</summary>
    public static RunResult Merge(IEnumerable<RunResult> results) =>
        new() { Runs = [.. results.SelectMany(r => r.Runs).OrderBy(r => r.RegionLabel, StringComparer.Ordinal)] };
}
