using Hyperstore.Domain;
using Hyperstore.Domain.Values;

namespace Hyperstore.Ledger;

/// <summary>What the ledger did with a command.</summary>
public abstract record AppendResult
{
    private AppendResult() { }

    /// <summary>
    /// The command's event is in the stream at <paramref name="Position"/>, leaving <paramref name="Stock"/>.
    /// <paramref name="IsReplay"/>: this was a retry; the first application's result is returned and nothing was applied now.
    /// </summary>
    public sealed record Applied(StreamPosition Position, Quantity Stock, bool IsReplay) : AppendResult;

    /// <summary>The command was refused; nothing was written.</summary>
    public sealed record Rejected(StockRejection Rejection) : AppendResult;
}
