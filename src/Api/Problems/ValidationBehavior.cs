using FluentValidation;
using Mediator;

namespace Hyperstore.Api.Problems;

/// <summary>Validates every message that has validators before its handler runs; a failure throws and changes nothing.</summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly IValidator<TMessage>[] _validators = [.. validators];

    // Not async: a valid message goes straight on to its handler, without a state machine of its own.
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        foreach (var validator in _validators)
        {
            var result = validator.Validate(message);
            if (!result.IsValid)
            {
                throw new ValidationException(result.Errors);
            }
        }
        return next(message, cancellationToken);
    }
}
