using Hyperstore.Domain.Values;

namespace Hyperstore.Domain;

/// <summary>Why the ledger refused a well-formed command. A rejection changes nothing.</summary>
public abstract record StockRejection(string Reason);

/// <summary>The buy asked for more than is in stock.</summary>
public sealed record SoldOut(Quantity Requested, Quantity Available)
    : StockRejection($"Sold out: asked for {Requested}, {Available} left.");

/// <summary>A restock would take the level past <see cref="Quantity.Max"/>.</summary>
public sealed record StockLimitExceeded(Quantity Current, Quantity Added)
    : StockRejection($"Restocking {Added} onto {Current} would exceed the limit of {Quantity.Max}.");

/// <summary>The idempotency key was already used by this client for a different command.</summary>
public sealed record IdempotencyKeyReused(CommandId CommandId)
    : StockRejection($"Idempotency key '{CommandId}' was already used for a different command.");
