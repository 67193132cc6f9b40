using Hyperstore.LoadTest.Reports;
using Hyperstore.LoadTest.Running;
using Spectre.Console;

namespace Hyperstore.LoadTest.Cli;

/// <summary>
/// Progress while running: a live Spectre.Console panel on a terminal, plain periodic lines otherwise
/// (CI logs, files, containers).
/// </summary>
internal sealed class LiveProgress(IAnsiConsole console, bool interactive, TimeSpan plainInterval) : IRunObserver
{
    private readonly Lock _lock = new();
    private readonly List<string> _messages = [];
    private LiveSnapshot _latest = new() { Phase = RunPhase.Starting };
    private TimeSpan? _lastPlain;

    public LiveSnapshot Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    public void OnSnapshot(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            _latest = snapshot;
        }

        if (!interactive && (_lastPlain is not { } last || snapshot.Elapsed - last >= plainInterval || snapshot.Phase == RunPhase.CheckingLedger))
        {
            _lastPlain = snapshot.Elapsed;
            console.WriteLine(PlainLine(snapshot));
        }
    }

    public void OnMessage(string message)
    {
        if (interactive)
        {
            lock (_lock)
            {
                _messages.Add(message);
            }
        }
        else
        {
            console.WriteLine(message);
        }
    }

    /// <summary>Runs <paramref name="run"/> under the live display (or plain lines) and prints held messages after it.</summary>
    public async Task<T> ShowAsync<T>(Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!interactive)
        {
            return await run();
        }

        T result = default!;
        await console.Live(Render(Latest)).AutoClear(false).StartAsync(async context =>
        {
            var task = run();
            while (!task.IsCompleted)
            {
                context.UpdateTarget(Render(Latest));
                await Task.WhenAny(task, Task.Delay(500));
            }

            result = await task;
            context.UpdateTarget(Render(Latest with { Phase = RunPhase.Done }));
        });
        foreach (string message in _messages)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
        }

        return result;
    }

    public static string PlainLine(LiveSnapshot s) =>
        $"[{Format.Duration(s.Elapsed)}/{Format.Duration(s.RunTime)}] {Phase(s.Phase)} | users {s.Users}/{s.TargetUsers} | " +
        $"{s.CurrentRps:0.0} req/s ({s.TotalRps:0.0} avg) | reqs {s.Requests} fails {s.Failures} ({Ratio(s)}) sold-out {s.SoldOut}" +
        (s.Dropped > 0 ? $" dropped {s.Dropped}" : "") +
        $" | p50 {Format.Ms(s.P50Ms)} p95 {Format.Ms(s.P95Ms)} p99 {Format.Ms(s.P99Ms)} ms | client cpu {s.CpuPercent:0}%";

    private static Panel Render(LiveSnapshot s)
    {
        var grid = new Grid().AddColumn().AddColumn().AddColumn().AddColumn();
        grid.AddRow("[bold]Phase[/]", Phase(s.Phase), "[bold]Users[/]", $"{s.Users} / {s.TargetUsers}");
        grid.AddRow("[bold]req/s[/]", $"{s.CurrentRps:0.0} now, {s.TotalRps:0.0} avg", "[bold]Requests[/]", Format.Count(s.Requests));
        grid.AddRow("[bold]Failures[/]", s.Failures > 0 ? $"[red]{Format.Count(s.Failures)} ({Ratio(s)})[/]" : "0",
            "[bold]Sold out[/]", Format.Count(s.SoldOut) + (s.Dropped > 0 ? $"   [yellow]dropped {Format.Count(s.Dropped)}[/]" : ""));
        grid.AddRow("[bold]p50 / p95 / p99[/]", $"{Format.Ms(s.P50Ms)} / {Format.Ms(s.P95Ms)} / {Format.Ms(s.P99Ms)} ms",
            "[bold]Client CPU[/]", $"{s.CpuPercent:0}% of one core");
        grid.AddRow("[bold]Ramp-up[/]", Bar(s.TargetUsers == 0 ? 1 : (double)s.Users / s.TargetUsers) + $" {s.Users}/{s.TargetUsers}",
            "[bold]Time left[/]", Format.Duration(s.Left));
        grid.AddRow("[bold]Duration[/]", Bar(s.RunTime <= TimeSpan.Zero ? 1 : s.Elapsed / s.RunTime) + $" {Format.Duration(s.Elapsed)}/{Format.Duration(s.RunTime)}", "", "");
        return new Panel(grid).Header("hyperstore-loadtest").Border(BoxBorder.Rounded);
    }

    private static string Bar(double fraction)
    {
        const int width = 30;
        int done = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return $"[green]{new string('━', done)}[/][grey]{new string('━', width - done)}[/]";
    }

    private static string Ratio(LiveSnapshot s) => Format.Percent(s.Requests == 0 ? 0 : (double)s.Failures / s.Requests);

    private static string Phase(RunPhase phase) => phase switch
    {
        RunPhase.Starting => "starting",
        RunPhase.RampingUp => "ramping up",
        RunPhase.Running => "running",
        RunPhase.Stopping => "stopping",
        RunPhase.CheckingLedger => "checking the ledger",
        _ => "done",
    };
}
