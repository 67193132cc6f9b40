using Hyperstore.LoadTest.Cli;
using Spectre.Console;

// Redirected to a file or CI log, the console reports 80 columns and the result table wraps into unreadable cells.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
}

var app = LoadTestApp.Create(AnsiConsole.Console);

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
