using System.Globalization;
using Hyperstore.Domain;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger.Scripts;
using StackExchange.Redis;

namespace Hyperstore.Ledger;

/// <summary>
/// The write side: appends a command's event to its region's stream with <c>append.lua</c>, which checks
/// idempotency and stock and writes in one atomic step.
/// </summary>
public sealed class RedisLedger(IConnectionMultiplexer redis, LedgerOptions options)
{
    // Status codes returned by append.lua (see its header).
    private const long Applied = 1;
    private const long Duplicate = 2;
    private const long SoldOut = -1;
    private const long LimitExceeded = -2;
    private const long KeyReused = -3;
    private const long Invalid = -4;

    private static readonly RedisValue MaxLevel = Quantity.Max;

    /// <summary>
    /// Appends the command's event unless a rule refuses it.
    /// <paramref name="rememberCommandId"/>: keep the idempotency record, so that a retry with the same id is
    /// answered from it. Pass <c>false</c> for ids the server generated, which no client can retry.
    /// </summary>
    public async Task<AppendResult> AppendAsync(StockCommand command, bool rememberCommandId = true)
    {
        var keys = new LedgerKeys(command.Region);
        var (op, quantity) = command switch
        {
            BuyHyper buy => ("buy", buy.Quantity),
            RestockHyper restock => ("restock", restock.Quantity),
            SetStockLevel set => ("set", set.Level),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown command."),
        };
        var ttlSeconds = rememberCommandId ? Math.Max(1, (long)options.IdempotencyWindow.TotalSeconds) : 0;

        var result = await LedgerScripts.Append.EvaluateAsync(
            redis.GetDatabase(),
            [keys.Stock, keys.Events, keys.Command(command.Client, command.Id)],
            [op, quantity.Value, command.Client.Value, command.Id.Value, command.Now.ToUnixTimeMilliseconds(),
             command.Fingerprint, ttlSeconds, MaxLevel]);

        var reply = (RedisResult[])result!;
        var status = (long)reply[0];
        var stock = (long)reply[1];
        var detail = (string?)reply[2] ?? string.Empty;
        return status switch
        {
            Applied => new AppendResult.Applied(StreamPosition.Parse(detail), Quantity.Of(stock), IsReplay: false),
            Duplicate => new AppendResult.Applied(StreamPosition.Parse(detail), Quantity.Of(stock), IsReplay: true),
            SoldOut => new AppendResult.Rejected(new Domain.SoldOut(quantity, Quantity.Of(stock))),
            LimitExceeded => new AppendResult.Rejected(new StockLimitExceeded(Quantity.Of(stock), quantity)),
            KeyReused => new AppendResult.Rejected(new IdempotencyKeyReused(command.Id)),
            Invalid => throw new InvalidOperationException($"append.lua refused its arguments: {detail}"),
            _ => throw new InvalidOperationException($"append.lua returned unknown status {status.ToString(CultureInfo.InvariantCulture)}."),
        };
    }

    /// <summary>The write side's current stock level of a region (0 for a region that has seen no event).</summary>
    public async Task<Quantity> GetStockAsync(Region region)
    {
        var value = await redis.GetDatabase().StringGetAsync(new LedgerKeys(region).Stock);
        return value.IsNull ? Quantity.Zero : Quantity.Of((long)value);
    }
}
