namespace Hyperstore.Ledger;

/// <summary>Settings of the write side (configuration section <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    /// <summary>The longest <see cref="IdempotencyWindow"/> append.lua accepts (ten years).</summary>
    public static readonly TimeSpan MaxIdempotencyWindow = TimeSpan.FromDays(3650);

    /// <summary>How long a client's idempotency key is remembered; a retry after that applies again. 1 s to 3650 days.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    public bool IsValid => IdempotencyWindow >= TimeSpan.FromSeconds(1) && IdempotencyWindow <= MaxIdempotencyWindow;
}
