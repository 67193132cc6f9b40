using Hyperstore.LoadTest.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

// Redirected to a file or CI log, the console reports 80 columns and the result table wraps into unreadable cells.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
}

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("hyperstore-loadtest");
    config.AddCommand<RunCommand>("run")
        .WithDescription("Run a scenario against the API with many users; print Locust-style statistics and write CSV/JSON/HTML.")
        .WithExample("run", "--host", "http://127.0.0.1:8080", "-u", "1000", "-r", "100", "-t", "60s", "--csv", "out/run", "--html", "out/run.html", "--json", "out/run.json")
        .WithExample("run", "-u", "50", "--think-time", "0", "--threshold", "p99<50ms", "--threshold", "failures<0.1%")
        .WithExample("run", "--arrival-rate", "200", "-u", "500", "--think-time", "0", "-t", "2m");
    config.AddCommand<MergeCommand>("merge")
        .WithDescription("Combine the JSON results of several runs (e.g. one per region) exactly into one result and report.")
        .WithExample("merge", "eu.json", "us.json", "ap.json", "--html", "all.html", "--csv", "all", "--json", "all.json");
});

// Ctrl+C stops the load early and still reports (like Locust); a second Ctrl+C ends the process.
using var stopEarly = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!stopEarly.IsCancellationRequested)
    {
        e.Cancel = true;
        stopEarly.Cancel();
    }
};

return await app.RunAsync(args, stopEarly.Token);
