using System.ComponentModel;
using Hyperstore.LoadTest.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Hyperstore.LoadTest.Cli;

/// <summary>The options of <c>run</c>; names follow Locust's where Locust has one.</summary>
internal sealed class RunSettings : OutputSettings
{
    [CommandOption("-H|--host <URL>")]
    [Description("Base URL of the API.")]
    [DefaultValue("http://127.0.0.1:8080")]
    public string Host { get; set; } = "http://127.0.0.1:8080";

    [CommandOption("-u|--users <N>")]
    [Description("Number of concurrent users (closed model); in the open model the most users busy at once.")]
    [DefaultValue(10)]
    public int Users { get; set; } = 10;

    [CommandOption("-r|--spawn-rate <R>")]
    [Description("Users started per second during ramp-up.")]
    [DefaultValue(1.0)]
    public double SpawnRate { get; set; } = 1;

    [CommandOption("-t|--run-time <TIME>")]
    [Description("How long to run, counted from the start (ramp-up included): 90, 90s, 5m, 1h30m.")]
    [DefaultValue("60s")]
    public string RunTime { get; set; } = "60s";

    [CommandOption("-s|--scenario <NAME>")]
    [Description("The user scenario: store (default: read 5-12x, buy 1-3x, read 2-5x, restock), browse, flash-sale.")]
    [DefaultValue("store")]
    public string Scenario { get; set; } = "store";

    [CommandOption("--think-time <MIN-MAX>")]
    [Description("Wait between a user's requests, random in the range: 1-2, 0.5s-1s, 0 for a pure throughput run.")]
    [DefaultValue("1-2")]
    public string ThinkTime { get; set; } = "1-2";

    [CommandOption("--arrival-rate <R>")]
    [Description("Open model: start R scenario iterations per second whatever the answers' speed (no coordinated omission); -u caps the users busy at once, arrivals beyond it are counted as dropped.")]
    public double? ArrivalRate { get; set; }

    [CommandOption("--iterations-per-user <N>")]
    [Description("Closed model: each user stops after N iterations (the run ends early when all have).")]
    public int? IterationsPerUser { get; set; }

    [CommandOption("--seed <N>")]
    [Description("Seed for the users' random choices (counts, think times); printed and stored so a run can be repeated. Default: random.")]
    public int? Seed { get; set; }

    [CommandOption("--client-id <ID>")]
    [Description("OAuth2 client with scopes read, buy and stock. Default: env HYPERSTORE_CLIENT_ID, else 'loadtest'.")]
    public string? ClientId { get; set; }

    [CommandOption("--client-secret <SECRET>")]
    [Description("Its secret. Default: --client-secret-file, else env HYPERSTORE_CLIENT_SECRET.")]
    public string? ClientSecret { get; set; }

    [CommandOption("--client-secret-file <PATH>")]
    [Description("A file holding the client secret (e.g. a mounted secret).")]
    public string? ClientSecretFile { get; set; }

    [CommandOption("--audit-client-id <ID>")]
    [Description("OAuth2 client with scope audit for the ledger check. Default: env HYPERSTORE_AUDIT_CLIENT_ID; none: the check is skipped with a warning.")]
    public string? AuditClientId { get; set; }

    [CommandOption("--audit-client-secret <SECRET>")]
    [Description("Its secret. Default: --audit-client-secret-file, else env HYPERSTORE_AUDIT_CLIENT_SECRET.")]
    public string? AuditClientSecret { get; set; }

    [CommandOption("--audit-client-secret-file <PATH>")]
    [Description("A file holding the audit client secret.")]
    public string? AuditClientSecretFile { get; set; }

    [CommandOption("--region <REGION>")]
    [Description("Store region to load, sent as ?region=; default: the server's own.")]
    public string? Region { get; set; }

    [CommandOption("--region-label <LABEL>")]
    [Description("Name of this client's region in results and merged reports (e.g. eu-central-1). Default: --region, else 'local'.")]
    public string? RegionLabel { get; set; }

    [CommandOption("--connections <MODE>")]
    [Description("per-user: each user has its own connection(s) like a browser; shared: one pool for all users.")]
    [DefaultValue("per-user")]
    public string Connections { get; set; } = "per-user";

    [CommandOption("--connections-per-user <N>")]
    [Description("Connections each user may open (per-user mode).")]
    [DefaultValue(1)]
    public int ConnectionsPerUser { get; set; } = 1;

    [CommandOption("--request-timeout <TIME>")]
    [Description("A request without an answer after this is a failure.")]
    [DefaultValue("30s")]
    public string RequestTimeout { get; set; } = "30s";

    [CommandOption("--stop-timeout <TIME>")]
    [Description("After the run time, how long requests in flight may finish.")]
    [DefaultValue("10s")]
    public string StopTimeout { get; set; } = "10s";

    [CommandOption("--ledger-wait <TIME>")]
    [Description("How long the read model may take to catch up after the run before the ledger check fails.")]
    [DefaultValue("30s")]
    public string LedgerWait { get; set; } = "30s";

    [CommandOption("--no-gc-mb <MB>")]
    [Description("Hold off this client's garbage collector during the load for up to MB megabytes of allocation (about 4 KB per request; the memory is committed at the start): with thousands of users its pauses, up to ~120 ms, are measured as the server's latency. 0: off.")]
    [DefaultValue(0)]
    public int NoGcMegabytes { get; set; }

    [CommandOption("--progress-interval <TIME>")]
    [Description("When the output is not a terminal: print a progress line this often.")]
    [DefaultValue("5s")]
    public string ProgressInterval { get; set; } = "5s";

    public override ValidationResult Validate()
    {
        if (!Uri.TryCreate(Host, UriKind.Absolute, out var host) || host.Scheme is not ("http" or "https"))
        {
            return ValidationResult.Error($"--host '{Host}' is not an http(s) URL.");
        }

        if (Users < 1 || SpawnRate <= 0 || ConnectionsPerUser < 1 || ArrivalRate <= 0 || IterationsPerUser < 1)
        {
            return ValidationResult.Error("--users, --spawn-rate, --connections-per-user, --arrival-rate and --iterations-per-user must be positive.");
        }

        if (NoGcMegabytes < 0)
        {
            return ValidationResult.Error("--no-gc-mb must be 0 (off) or more.");
        }

        if (ScenarioCatalog.Find(Scenario) is null)
        {
            return ValidationResult.Error($"--scenario '{Scenario}' is unknown; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}.");
        }

        if (Connections is not ("per-user" or "shared"))
        {
            return ValidationResult.Error("--connections is per-user or shared.");
        }

        foreach (var (name, value) in new[] { ("--run-time", RunTime), ("--request-timeout", RequestTimeout), ("--stop-timeout", StopTimeout), ("--ledger-wait", LedgerWait), ("--progress-interval", ProgressInterval) })
        {
            if (!Durations.TryParse(value, out _))
            {
                return ValidationResult.Error($"{name} '{value}' is not a duration; write e.g. 90, 90s, 5m or 1h30m.");
            }
        }

        if (Durations.Parse(RequestTimeout) <= TimeSpan.Zero)
        {
            return ValidationResult.Error("--request-timeout must be longer than 0.");
        }

        try
        {
            Durations.ParseRange(ThinkTime);
        }
        catch (FormatException e)
        {
            return ValidationResult.Error("--think-time: " + e.Message);
        }

        return base.Validate();
    }
}
