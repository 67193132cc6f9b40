using Hyperstore.Bench.Driver;
using Hyperstore.Bench.Driver.Report;

// The C# half of scripts/bench.sh. Every command is bounded in time and talks only to the Redis and URLs it is given.
const string Usage = """
    hyperstore-bench <command> [--option value …]
      seed    --redis H:P --region R --events N [--via pipe|ledger] [--seed-fsync MODE] [--batch N] [--max-seconds S]
              [--idempotent-buys N] [--out FILE]
      replay  --redis H:P --region R [--repeat N] [--warmup-seconds S] [--warmup-max-seconds S] [--max-seconds S] [--page-size N]
              [--out FILE]
      lag     --redis H:P --region R --rate PER_S --seconds S [--warmup-seconds S] [--projector-metrics URL] [--out FILE]
      unlink  --redis H:P --pattern P [--max-seconds S]
      held    --result LOADTEST.json [--p99-ms N]
      report  --raw DIR --results DIR [--mode full|quick|micro] [--doc FILE]
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 1;
}

try
{
    var options = new Options(args[1..]);
    return args[0] switch
    {
        "seed" => await SeedCommand.RunAsync(options),
        "replay" => await ReplayCommand.RunAsync(options),
        "lag" => await LagCommand.RunAsync(options),
        "unlink" => await UnlinkCommand.RunAsync(options),
        "held" => await HeldCommand.RunAsync(options),
        "report" => await ReportCommand.RunAsync(options),
        _ => Fail($"Unknown command '{args[0]}'.\n{Usage}"),
    };
}
catch (ArgumentException e)
{
    return Fail(e.Message);
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}
