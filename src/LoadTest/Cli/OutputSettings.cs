using System.ComponentModel;
using Hyperstore.LoadTest.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Hyperstore.LoadTest.Cli;

/// <summary>The report options <c>run</c> and <c>merge</c> share.</summary>
internal class OutputSettings : CommandSettings
{
    [CommandOption("--csv <PREFIX>")]
    [Description("Write Locust's CSV files: PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv, PREFIX_exceptions.csv.")]
    public string? Csv { get; set; }

    [CommandOption("--html <FILE>")]
    [Description("Write the self-contained HTML report (charts inline, opens without network).")]
    public string? Html { get; set; }

    [CommandOption("--json <FILE>")]
    [Description("Write the JSON result with the full latency histograms (the input of [bold]merge[/]).")]
    public string? Json { get; set; }

    [CommandOption("--threshold <EXPR>")]
    [Description("Pass/fail condition, repeatable, e.g. [italic]p99<50ms[/], [italic]failures<0.1%[/], [italic]avg[[GET /api/hyper]]<20ms[/], [italic]rps>100[/], [italic]dropped==0[/], [italic]cpu<80%[/]. A failed threshold makes the exit code 2.")]
    public string[] Thresholds { get; set; } = [];

    public override ValidationResult Validate()
    {
        foreach (string t in Thresholds)
        {
            try
            {
                Threshold.Parse(t);
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
        }

        return ValidationResult.Success();
    }
}
