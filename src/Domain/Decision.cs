using Hyperstore.Domain.Events;

namespace Hyperstore.Domain;

/// <summary>The decider's answer to a command: exactly one event, or a rejection.</summary>
public abstract record Decision
{
    private Decision() { }

    public sealed record Accepted(StockEvent Event) : Decision;

    public sealed record Rejected(StockRejection Rejection) : Decision;
}
