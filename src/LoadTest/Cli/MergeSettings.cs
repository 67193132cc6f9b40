using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Hyperstore.LoadTest.Cli;

internal sealed class MergeSettings : OutputSettings
{
    [CommandArgument(0, "<RESULTS>")]
    [Description("JSON results of [bold]run[/] (one per region) to combine.")]
    public string[] Results { get; set; } = [];

    public override ValidationResult Validate()
    {
        if (Results.Length == 0)
        {
            return ValidationResult.Error("Name at least one JSON result.");
        }

        return Results.FirstOrDefault(f => !File.Exists(f)) is { } missing
            ? ValidationResult.Error($"'{missing}' does not exist.")
            : base.Validate();
    }
}
