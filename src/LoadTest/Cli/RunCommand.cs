using Hyperstore.LoadTest.Http;
using Hyperstore.LoadTest.Running;
using Hyperstore.LoadTest.Scenarios;
using Hyperstore.LoadTest.Stats;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Hyperstore.LoadTest.Cli;

/// <summary><c>run</c>: load the API, then report, write the files and check thresholds and ledger.</summary>
internal sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken) =>
        ExecuteAsync(AnsiConsole.Console, settings, Environment.GetEnvironmentVariable, cancellationToken);

    /// <summary>The command without Spectre's plumbing: tests call this with their own console and environment.</summary>
    public static async Task<int> ExecuteAsync(IAnsiConsole console, RunSettings settings, Func<string, string?> environment, CancellationToken stopEarly)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        LoadRunOptions options;
        try
        {
            options = ToOptions(settings, environment);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return ExitCodes.Error;
        }

        console.MarkupLine(
            $"[grey]Hyperstore load test: {Markup.Escape(options.Host.ToString())}{(options.Region is null ? "" : $" region {Markup.Escape(options.Region)}")}, " +
            $"scenario {options.Scenario.Name}, {options.Model} model, {options.Users} users" +
            (options.ArrivalRate is { } rate ? $" at most, {rate}/s arrivals" : $", {options.SpawnRate}/s spawn rate") +
            $", run time {options.RunTime}, think {options.ThinkMin.TotalSeconds}-{options.ThinkMax.TotalSeconds} s, seed {options.Seed}, label {Markup.Escape(options.RegionLabel)}[/]");

        bool interactive = console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        var progress = new LiveProgress(console, interactive, Durations.Parse(settings.ProgressInterval));
        RunPart part;
        try
        {
            part = await progress.ShowAsync(() => new LoadRunner(options, progress).RunAsync(stopEarly));
        }
        catch (Exception e) when (e is LedgerCheckException or HttpRequestException or System.Text.Json.JsonException
                                      or TaskCanceledException { InnerException: TimeoutException })
        {
            // The API unreachable, answering something that is not the API, or too slow to answer the checks before the load.
            console.MarkupLine($"[red]Cannot start: {Markup.Escape(e.Message)}[/]");
            return ExitCodes.Error;
        }

        return Reporting.Report(console, new RunResult { Runs = [part] }, settings);
    }

    internal static LoadRunOptions ToOptions(RunSettings s, Func<string, string?> environment)
    {
        var (thinkMin, thinkMax) = Durations.ParseRange(s.ThinkTime);
        string clientId = s.ClientId ?? environment("HYPERSTORE_CLIENT_ID") ?? "loadtest";
        string secret = Secret(s.ClientSecret, s.ClientSecretFile, environment("HYPERSTORE_CLIENT_SECRET"))
            ?? throw new ArgumentException("No client secret: give --client-secret, --client-secret-file or HYPERSTORE_CLIENT_SECRET.");
        string? auditId = s.AuditClientId ?? environment("HYPERSTORE_AUDIT_CLIENT_ID");
        string? auditSecret = Secret(s.AuditClientSecret, s.AuditClientSecretFile, environment("HYPERSTORE_AUDIT_CLIENT_SECRET"));
        if (auditId is not null && auditSecret is null)
        {
            throw new ArgumentException($"The audit client '{auditId}' has no secret: give --audit-client-secret, --audit-client-secret-file or HYPERSTORE_AUDIT_CLIENT_SECRET.");
        }

        string host = s.Host.EndsWith('/') ? s.Host : s.Host + "/";
        return new LoadRunOptions
        {
            Host = new Uri(host),
            Region = s.Region,
            RegionLabel = s.RegionLabel ?? s.Region ?? "local",
            Scenario = ScenarioCatalog.Find(s.Scenario)!,
            Users = s.Users,
            SpawnRate = s.SpawnRate,
            RunTime = Durations.Parse(s.RunTime),
            IterationsPerUser = s.IterationsPerUser,
            ArrivalRate = s.ArrivalRate,
            ThinkMin = thinkMin,
            ThinkMax = thinkMax,
            Seed = s.Seed ?? Random.Shared.Next(),
            Credentials = new ClientCredentials(clientId, secret),
            AuditCredentials = auditId is null ? null : new ClientCredentials(auditId, auditSecret!),
            ConnectionMode = s.Connections == "shared" ? ConnectionMode.Shared : ConnectionMode.PerUser,
            ConnectionsPerUser = s.ConnectionsPerUser,
            RequestTimeout = Durations.Parse(s.RequestTimeout),
            StopTimeout = Durations.Parse(s.StopTimeout),
            LedgerWait = Durations.Parse(s.LedgerWait),
            NoGcRegionBytes = (long)s.NoGcMegabytes << 20,
        };
    }

    private static string? Secret(string? value, string? file, string? fromEnvironment) =>
        value ?? (file is null ? null : File.ReadAllText(file).Trim()) ?? fromEnvironment;
}
