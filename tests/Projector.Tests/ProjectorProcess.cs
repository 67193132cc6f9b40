using System.Diagnostics;
using System.Text;

namespace Hyperstore.Projector.Tests;

/// <summary>The projector as a real process (the built Hyperstore.Projector.dll), for crash and takeover tests.</summary>
public sealed class ProjectorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ProjectorProcess(Process process) => _process = process;

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ProjectorProcess Start(string redisConnectionString, string regions, string consumerName,
        IDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Hyperstore.Projector.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Redis"] = redisConnectionString;
        start.Environment["Hyperstore__Regions"] = regions;
        start.Environment["Projector__ConsumerName"] = consumerName;
        start.Environment["Projector__Urls"] = "http://127.0.0.1:0";
        start.Environment["Projector__LeaseDuration"] = "00:00:02";
        start.Environment["Projector__LeaseRenewInterval"] = "00:00:00.250";
        start.Environment["Projector__ReadBlock"] = "00:00:00.200";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Hyperstore"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the projector.");
        var projector = new ProjectorProcess(process);
        process.OutputDataReceived += (_, e) => projector.Append(e.Data);
        process.ErrorDataReceived += (_, e) => projector.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return projector;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an out-of-memory kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as the container platform sends on a stop; waits (bounded) for the graceful exit.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
