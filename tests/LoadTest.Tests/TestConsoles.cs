using Spectre.Console;

namespace Hyperstore.LoadTest.Tests;

/// <summary>A console that writes plain, wide text into a <see cref="StringWriter"/> the test can read.</summary>
internal static class TestConsoles
{
    public static (IAnsiConsole Console, StringWriter Text) Create()
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 160;
        return (console, text);
    }
}
