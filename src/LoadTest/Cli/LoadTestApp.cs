using Spectre.Console;
using Spectre.Console.Cli;

namespace Hyperstore.LoadTest.Cli;

/// <summary>The command line: its commands, and what becomes of an error that escapes them.</summary>
internal static class LoadTestApp
{
    public static CommandApp Create(IAnsiConsole console)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("hyperstore-loadtest");
            config.ConfigureConsole(console);
            // An unknown option is an error, not silently ignored: "--user 1000" must not run with the default users.
            config.UseStrictParsing();
            config.SetExceptionHandler((exception, _) => HandleError(console, exception));
            config.AddCommand<RunCommand>("run")
                .WithDescription("Run a scenario against the API with many users; print Locust-style statistics and write CSV/JSON/HTML.")
                .WithExample("run", "--host", "http://127.0.0.1:8080", "-u", "1000", "-r", "100", "-t", "60s", "--csv", "out/run", "--html", "out/run.html", "--json", "out/run.json")
                .WithExample("run", "-u", "50", "--think-time", "0", "--threshold", "p99<50ms", "--threshold", "failures<0.1%")
                .WithExample("run", "--arrival-rate", "200", "-u", "500", "--think-time", "0", "-t", "2m");
            config.AddCommand<MergeCommand>("merge")
                .WithDescription("Combine the JSON results of several runs (e.g. one per region) exactly into one result and report.")
                .WithExample("merge", "eu.json", "us.json", "ap.json", "--html", "all.html", "--csv", "all", "--json", "all.json");
        });
        return app;
    }

    /// <summary>
    /// Bad options (unknown, or refused by a command's checks) are the user's to fix: their message, exit code 1.
    /// Anything else is a bug: the whole exception with its stack trace, so that it can be found, and exit code 70.
    /// </summary>
    public static int HandleError(IAnsiConsole console, Exception exception)
    {
        if (exception is CommandAppException appError)
        {
            if (appError.Pretty is { } pretty)
            {
                console.Write(pretty);
            }
            else
            {
                console.MarkupLine($"[red]Error:[/] {Markup.Escape(appError.Message)}");
            }

            return ExitCodes.Error;
        }

        console.MarkupLine("[red]Unexpected error (a bug in the load client; the stack trace below locates it):[/]");
        console.WriteException(exception, ExceptionFormats.ShortenPaths);
        return ExitCodes.Unexpected;
    }
}
