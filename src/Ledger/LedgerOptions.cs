namespace Hyperstore.Ledger;

/// <summary>Settings of the write side (configuration section <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    /// <summary>How long a client's idempotency key is remembered; a retry after that applies again.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);
}
