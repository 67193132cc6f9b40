using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.Scripts;
using StackExchange.Redis;

namespace Hyperstore.Bench.Driver;

/// <summary>
/// <c>seed</c>: fills a region's stream with real buy events made by append.lua (through <c>redis-cli --pipe</c>, or through
/// <see cref="RedisLedger"/> pipelined in batches), then measures Redis memory per event: the stream alone, and an idempotency record (what a buy with an
/// Idempotency-Key leaves for the idempotency window) measured on a second, smaller region.
/// </summary>
internal static class SeedCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var redisAddress = options.String("redis", "127.0.0.1:6379");
        var region = Region.Parse(options.String("region", "replay"));
        var events = options.Long("events", 1_000_000);
        var batch = (int)options.Long("batch", 2_000);
        var maxSeconds = options.Double("max-seconds", 180);
        var idempotentBuys = (int)options.Long("idempotent-buys", 20_000);
        var via = options.String("via", "pipe");
        var seedFsync = options.String("seed-fsync", "everysec");
        var output = options.OptionalString("out");
        options.EnsureAllRead();
        if (via is not ("pipe" or "ledger"))
        {
            throw new ArgumentException("--via is pipe (redis-cli --pipe of EVALSHA append.lua) or ledger (RedisLedger.AppendAsync, pipelined).");
        }

        await using var redis = await RedisInfo.ConnectAsync(redisAddress);
        var ledger = new RedisLedger(redis, new LedgerOptions());
        var keys = new LedgerKeys(region);
        await redis.GetDatabase().KeyDeleteAsync([keys.Stock, keys.Events]);
        var memoryBefore = await RedisInfo.UsedMemoryAsync(redis);

        var client = ClientId.Parse("loadtest");
        await ledger.AppendAsync(SetStockLevel.Create(region, Quantity.Max, client, CommandId.New(), DateTimeOffset.UtcNow), rememberCommandId: false);
        // Seeding is preparation, not a measured figure: fsync once a second meanwhile, so a million events take seconds, not
        // minutes. The stream's memory does not depend on it. The previous setting comes back afterwards.
        var server = RedisInfo.Server(redis);
        var fsync = (await server.ConfigGetAsync("appendfsync")).Single().Value;
        await server.ConfigSetAsync("appendfsync", seedFsync);
        var clock = Stopwatch.StartNew();
        long appended;
        try
        {
            appended = 1 + (via == "pipe"
                ? await AppendThroughPipeAsync(redis, redisAddress, keys, client, events - 1, maxSeconds)
                : await AppendThroughLedgerAsync(ledger, region, client, events - 1, batch, maxSeconds));
        }
        finally
        {
            await server.ConfigSetAsync("appendfsync", fsync);
        }
        var seconds = clock.Elapsed.TotalSeconds;

        var length = await redis.GetDatabase().StreamLengthAsync(keys.Events);
        var streamBytes = await RedisInfo.MemoryUsageAsync(redis, keys.Events);
        var memoryAfter = await RedisInfo.UsedMemoryAsync(redis);

        // The records are measured in a database of their own: database 0 may hold a million records from the PUT runs, and
        // 20,000 more can cross a power of two, where Redis doubles its key and expiry tables in the middle of the
        // measurement (1,868 bytes per record by used_memory in one run, 196 in the others).
        await using var recordsRedis = await RedisInfo.ConnectAsync(redisAddress + ",defaultDatabase=1");
        var idempotency = await MeasureIdempotencyRecordsAsync(recordsRedis, new RedisLedger(recordsRedis, new LedgerOptions()),
            Region.Parse(region.Value + "-idem"), idempotentBuys);

        Json.Write(output, new
        {
            region = region.Value,
            requestedEvents = events,
            events = length,
            complete = length >= events,
            via,
            seedFsync,
            seconds = Math.Round(seconds, 2),
            appendsPerSecond = Math.Round(appended / seconds),
            streamMemoryUsageBytes = streamBytes,
            streamBytesPerEvent = Math.Round((double)streamBytes / length, 1),
            usedMemoryDeltaBytes = memoryAfter - memoryBefore,
            usedMemoryBytesPerEvent = Math.Round((double)(memoryAfter - memoryBefore) / length, 1),
            idempotency,
        });
        return 0;
    }

    private static async Task<long> AppendThroughLedgerAsync(RedisLedger ledger, Region region, ClientId client, long events, int batch,
        double maxSeconds)
    {
        var clock = Stopwatch.StartNew();
        long appended = 0;
        var tasks = new Task<AppendResult>[batch];
        while (appended < events && clock.Elapsed.TotalSeconds < maxSeconds)
        {
            var n = (int)Math.Min(batch, events - appended);
            for (var i = 0; i < n; i++)
            {
                // Ids like the load client's (UUIDv7), so the stream holds what real traffic leaves.
                var buy = BuyHyper.Create(region, 1, client, CommandId.Parse(Guid.CreateVersion7().ToString()), DateTimeOffset.UtcNow);
                tasks[i] = ledger.AppendAsync(buy, rememberCommandId: false);
            }
            await Task.WhenAll(tasks.AsSpan(0, n).ToArray());
            if (tasks.Take(n).Any(t => t.Result is not AppendResult.Applied))
            {
                throw new InvalidOperationException("A seed buy was refused; the stock must not run out.");
            }
            appended += n;
        }
        return appended;
    }

    /// <summary>
    /// The same append.lua calls (EVALSHA, the arguments RedisLedger passes for a buy without a remembered id), written as
    /// RESP into <c>redis-cli --pipe</c>: Redis, not this process, sets the pace.
    /// </summary>
    private static async Task<long> AppendThroughPipeAsync(ConnectionMultiplexer redis, string redisAddress, LedgerKeys keys, ClientId client,
        long events, double maxSeconds)
    {
        await LedgerScripts.Append.LoadAsync(redis);
        var endpoint = redis.GetEndPoints()[0] as System.Net.IPEndPoint
            ?? throw new ArgumentException($"--redis {redisAddress}: give an IP address and port for --via pipe.");
        var start = new ProcessStartInfo("redis-cli", ["-h", endpoint.Address.ToString(), "-p", endpoint.Port.ToString(CultureInfo.InvariantCulture), "--pipe"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start redis-cli.");
        var reply = process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        long written = 0;
        await using (var stdin = new BufferedStream(process.StandardInput.BaseStream, 1 << 20))
        {
            var fixedArgs = new[] { "EVALSHA", LedgerScripts.Append.Sha1Hex, "3", (string)keys.Stock!, (string)keys.Events! };
            var maxLevel = Quantity.Max.ToString(CultureInfo.InvariantCulture);
            while (written < events && (written % 10_000 != 0 || clock.Elapsed.TotalSeconds < maxSeconds))
            {
                var id = Guid.CreateVersion7().ToString();
                var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                WriteCommand(stdin, fixedArgs, (string)keys.Command(client, CommandId.Parse(id))!, "buy", "1", client.Value, id, at, "buy:1", "0", maxLevel);
                written++;
            }
        }
        var output = await reply;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || !output.Contains("errors: 0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"redis-cli --pipe failed: {output.Trim()}");
        }
        return written;
    }

    private static void WriteCommand(Stream stream, string[] head, params string[] tail)
    {
        Write(stream, $"*{(head.Length + tail.Length).ToString(CultureInfo.InvariantCulture)}\r\n");
        foreach (var arg in head.Concat(tail))
        {
            Write(stream, $"${Encoding.UTF8.GetByteCount(arg).ToString(CultureInfo.InvariantCulture)}\r\n{arg}\r\n");
        }
    }

    private static void Write(Stream stream, string text)
    {
        Span<byte> buffer = stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(text, buffer);
        stream.Write(buffer[..n]);
    }

    /// <summary>Buys with a remembered Idempotency-Key: the record (a string with expiry) is memory each buy holds for the window.</summary>
    private static async Task<object> MeasureIdempotencyRecordsAsync(ConnectionMultiplexer redis, RedisLedger ledger, Region region, int buys)
    {
        var keys = new LedgerKeys(region);
        var database = redis.GetDatabase();
        var client = ClientId.Parse("loadtest");
        await database.KeyDeleteAsync([keys.Stock, keys.Events]);
        await ledger.AppendAsync(SetStockLevel.Create(region, Quantity.Max, client, CommandId.New(), DateTimeOffset.UtcNow), rememberCommandId: false);
        var before = await RedisInfo.UsedMemoryAsync(redis);
        var streamBefore = await RedisInfo.MemoryUsageAsync(redis, keys.Events);
        var ids = new List<CommandId>(buys);
        for (var done = 0; done < buys;)
        {
            var n = Math.Min(1_000, buys - done);
            var tasks = new List<Task<AppendResult>>(n);
            for (var i = 0; i < n; i++)
            {
                var id = CommandId.Parse(Guid.CreateVersion7().ToString());
                ids.Add(id);
                tasks.Add(ledger.AppendAsync(BuyHyper.Create(region, 1, client, id, DateTimeOffset.UtcNow)));
            }
            await Task.WhenAll(tasks);
            done += n;
        }
        var after = await RedisInfo.UsedMemoryAsync(redis);
        var streamAfter = await RedisInfo.MemoryUsageAsync(redis, keys.Events);
        long sampled = 0;
        var sample = ids.Take(200).ToList();
        foreach (var id in sample)
        {
            sampled += await RedisInfo.MemoryUsageAsync(redis, keys.Command(client, id));
        }

        // Leave nothing behind that lives for a day.
        foreach (var chunk in ids.Chunk(1_000))
        {
            await database.KeyDeleteAsync([.. chunk.Select(id => keys.Command(client, id))]);
        }
        await database.KeyDeleteAsync([keys.Stock, keys.Events]);

        var recordBytes = (double)(after - before - (streamAfter - streamBefore)) / buys;
        return new
        {
            buys,
            usedMemoryBytesPerRecord = Math.Round(recordBytes, 1),
            memoryUsageBytesPerRecordKey = Math.Round((double)sampled / sample.Count, 1),
            streamBytesPerEvent = Math.Round((double)(streamAfter - streamBefore) / buys, 1),
        };
    }
}
