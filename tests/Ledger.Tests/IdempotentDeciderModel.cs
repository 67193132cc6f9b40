using Hyperstore.Domain;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;

namespace Hyperstore.Ledger.Tests;

public abstract record ModelOutcome
{
    public sealed record Applied(Quantity Stock, bool IsReplay) : ModelOutcome;
    public sealed record Rejected(StockRejection Rejection) : ModelOutcome;
}

/// <summary>
/// The reference model of the ledger: the pure decider plus the idempotency rule that append.lua documents
/// (per client and command id; accepted commands are remembered, rejected ones are not).
/// </summary>
public sealed class IdempotentDeciderModel(Region region)
{
    private readonly Dictionary<(ClientId, CommandId), (string Fingerprint, Quantity Stock)> _remembered = [];
    private readonly Dictionary<(ClientId, CommandId), StreamPosition> _positions = [];

    public StockState State { get; private set; } = StockState.Initial(region);

    public ModelOutcome Apply(StockCommand command)
    {
        if (_remembered.TryGetValue((command.Client, command.Id), out var first))
        {
            return first.Fingerprint == command.Fingerprint
                ? new ModelOutcome.Applied(first.Stock, IsReplay: true)
                : new ModelOutcome.Rejected(new IdempotencyKeyReused(command.Id));
        }

        switch (StockDecider.Decide(State, command))
        {
            case Decision.Accepted accepted:
                State = StockDecider.Evolve(State, accepted.Event);
                _remembered[(command.Client, command.Id)] = (command.Fingerprint, State.Level);
                return new ModelOutcome.Applied(State.Level, IsReplay: false);
            case Decision.Rejected rejected:
                return new ModelOutcome.Rejected(rejected.Rejection);
            default:
                throw new InvalidOperationException("Unknown decision.");
        }
    }

    public void RecordPosition(StockCommand command, StreamPosition position) => _positions[(command.Client, command.Id)] = position;

    public StreamPosition PositionOf(StockCommand command) => _positions[(command.Client, command.Id)];
}
