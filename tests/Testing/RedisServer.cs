using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using StackExchange.Redis;
using Testcontainers.Redis;

namespace Hyperstore.Testing;

/// <summary>
/// A real Redis for tests: a Testcontainers container where a Docker engine answers, otherwise a local
/// <c>redis-server</c> process on a free loopback port in a temporary folder. Only the process this class started is ever stopped.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _directory;
    private readonly string[] _extraArguments;
    private Process? _process;
    private RedisContainer? _container;

    private RedisServer(int port, string directory, string[] extraArguments)
    {
        Port = port;
        _directory = directory;
        _extraArguments = extraArguments;
    }

    public int Port { get; private set; }

    /// <summary>A StackExchange.Redis connection string that survives a restart of this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=5000,asyncTimeout=5000";

    /// <summary>Whether the server can be stopped and started again on the same port (true for a local process).</summary>
    public bool CanRestart => _container is null;

    /// <summary>Starts a server. <paramref name="extraArguments"/> are passed to redis-server (e.g. <c>--appendonly yes</c>).</summary>
    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        if (extraArguments.Length == 0 && DockerEngineMayExist())
        {
            try
            {
                var container = new RedisBuilder("redis:7.0").Build();
                await container.StartAsync();
                var endpoint = new Uri("tcp://" + container.GetConnectionString());
                return new RedisServer(endpoint.Port, string.Empty, extraArguments) { _container = container };
            }
            catch (Exception e) when (e is DockerUnavailableException or InvalidOperationException or HttpRequestException)
            {
                // No engine answers: fall through to the local binary.
            }
        }

        var directory = Directory.CreateTempSubdirectory("hyperstore-redis-").FullName;
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(LoopbackPorts.Free(), directory, extraArguments);
            if (await server.TryStartProcessAsync())
            {
                return server;
            }
            // The port was free when picked, but another process (test assemblies run in parallel) bound it first.
            if (attempt == 3)
            {
                throw new InvalidOperationException($"redis-server exited at start three times, the last on port {server.Port}.");
            }
        }
    }

    /// <summary>Stops the server abruptly, as a crash would (SIGKILL). Its data folder is kept for a restart.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            throw new InvalidOperationException("Only a local redis-server can be stopped and restarted.");
        }
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port, after <see cref="StopAsync"/>.</summary>
    public async Task RestartAsync()
    {
        if (!await TryStartProcessAsync())
        {
            throw new InvalidOperationException($"redis-server exited at restart on port {Port} (taken by another process?).");
        }
    }

    /// <summary>Starts redis-server and waits until it answers; false if it exited first (its port was taken).</summary>
    private async Task<bool> TryStartProcessAsync()
    {
        var binary = FindRedisServer() ?? throw new InvalidOperationException(
            "No Redis for tests: no Docker engine answered and no 'redis-server' is on PATH. " +
            "Install it (Debian: apt-get install -y redis-server) or run scripts/test.sh, which does.");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1", "--dir", _directory, "--save", "", "--appendonly", "no",
                     "--protected-mode", "yes", "--daemonize", "no" }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        try
        {
            return await ProbeAsync();
        }
        catch
        {
            // Whatever went wrong, the process started here must not outlive the failed start.
            if (_process is { HasExited: false })
            {
                _process.Kill();
            }
            _process?.WaitForExit();
            Exited();
            throw;
        }
    }

    /// <summary>Waits until the started redis-server answers; false if something else answers on its port or it exits.</summary>
    private async Task<bool> ProbeAsync()
    {
        var process = _process!;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Port},connectTimeout=500,abortConnect=true,allowAdmin=true");
                // Ours, or another test assembly's that bound the port first (ours then exits, maybe not yet).
                var info = (string?)await probe.GetDatabase().ExecuteAsync("INFO", "server") ?? string.Empty;
                if (info.Contains($"process_id:{process.Id}\r\n", StringComparison.Ordinal))
                {
                    // INFO answers while an append-only file is still being read back; PING does not (LOADING, below).
                    await probe.GetDatabase().PingAsync();
                    return true;
                }
                if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    process.Kill();
                }
                process.WaitForExit();
                Exited();
                return false;
            }
            catch (RedisConnectionException) when (deadline.Elapsed < StartTimeout && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("LOADING", StringComparison.Ordinal)
                                                 && deadline.Elapsed < StartTimeout && !process.HasExited)
            {
                // A restart over an append-only file answers LOADING until the file is read back.
                await Task.Delay(50);
            }
            catch (RedisException) when (Exited())
            {
                return false;
            }
            catch (RedisConnectionException e)
            {
                throw new InvalidOperationException(
                    $"redis-server did not answer on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds} s.", e);
            }
        }
    }

    /// <summary>True (and the process released) if the started redis-server has exited.</summary>
    private bool Exited()
    {
        if (_process is null || !_process.HasExited)
        {
            return false;
        }
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        if (_process is not null)
        {
            await StopAsync();
        }
        if (_directory.Length > 0)
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }

    private static bool DockerEngineMayExist() =>
        File.Exists("/var/run/docker.sock") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"));

    private static string? FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/local/bin")
            .Select(folder => Path.Combine(folder, "redis-server"))
            .FirstOrDefault(File.Exists);
}
