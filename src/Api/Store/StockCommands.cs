using FluentValidation;
using Hyperstore.Api.Hosting;
using Hyperstore.Domain.Commands;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Mediator;
using Microsoft.Extensions.Options;

namespace Hyperstore.Api.Store;

/// <summary>Buy <paramref name="Quantity"/> hypers in <paramref name="Region"/> for <paramref name="Client"/>.</summary>
/// <param name="IdempotencyKey">The client's key; null when the client sent none (a new id is made and not remembered).</param>
public sealed record BuyHyperCommand(string Region, long Quantity, string Client, string? IdempotencyKey, DateTimeOffset Now)
    : ICommand<AppendResult>;

/// <summary>Set the stock of <paramref name="Region"/> to <paramref name="Quantity"/>.</summary>
public sealed record SetStockLevelCommand(string Region, long Quantity, string Client, string? IdempotencyKey, DateTimeOffset Now)
    : ICommand<AppendResult>;

/// <summary>Add <paramref name="Quantity"/> hypers to the stock of <paramref name="Region"/>.</summary>
public sealed record RestockHyperCommand(string Region, long Quantity, string Client, string? IdempotencyKey, DateTimeOffset Now)
    : ICommand<AppendResult>;

public sealed class StockCommandHandlers(RedisLedger ledger, IOptions<HyperstoreOptions> options, StoreMetrics metrics) :
    ICommandHandler<BuyHyperCommand, AppendResult>,
    ICommandHandler<SetStockLevelCommand, AppendResult>,
    ICommandHandler<RestockHyperCommand, AppendResult>
{
    public ValueTask<AppendResult> Handle(BuyHyperCommand command, CancellationToken cancellationToken) =>
        Append(BuyHyper.Create(Region.Parse(command.Region), command.Quantity, ClientId.Parse(command.Client),
            IdOf(command.IdempotencyKey), command.Now, options.Value.MaxBuyQuantity), command.IdempotencyKey);

    public ValueTask<AppendResult> Handle(SetStockLevelCommand command, CancellationToken cancellationToken) =>
        Append(SetStockLevel.Create(Region.Parse(command.Region), command.Quantity, ClientId.Parse(command.Client),
            IdOf(command.IdempotencyKey), command.Now), command.IdempotencyKey);

    public ValueTask<AppendResult> Handle(RestockHyperCommand command, CancellationToken cancellationToken) =>
        Append(RestockHyper.Create(Region.Parse(command.Region), command.Quantity, ClientId.Parse(command.Client),
            IdOf(command.IdempotencyKey), command.Now), command.IdempotencyKey);

    private async ValueTask<AppendResult> Append(StockCommand command, string? idempotencyKey)
    {
        var result = await ledger.AppendAsync(command, rememberCommandId: idempotencyKey is not null);
        metrics.Command(KindOf(command), OutcomeOf(result));
        return result;
    }

    private static string KindOf(StockCommand command) => command switch
    {
        BuyHyper => "buy",
        RestockHyper => "restock",
        SetStockLevel => "set",
        _ => "other",
    };

    private static string OutcomeOf(AppendResult result) => result switch
    {
        AppendResult.Applied { IsReplay: true } => "replayed",
        AppendResult.Applied => "applied",
        AppendResult.Rejected { Rejection: Domain.SoldOut } => "sold-out",
        AppendResult.Rejected { Rejection: Domain.StockLimitExceeded } => "stock-limit",
        AppendResult.Rejected { Rejection: Domain.IdempotencyKeyReused } => "idempotency-key-reused",
        _ => "rejected",
    };

    private static CommandId IdOf(string? idempotencyKey) => idempotencyKey is null ? CommandId.New() : CommandId.Parse(idempotencyKey);
}

public sealed class BuyHyperCommandValidator : AbstractValidator<BuyHyperCommand>
{
    public BuyHyperCommandValidator(IOptions<HyperstoreOptions> options)
    {
        RuleFor(c => c.Region).KnownRegion(options.Value);
        RuleFor(c => c.Quantity).InclusiveBetween(1, options.Value.MaxBuyQuantity)
            .WithMessage($"quantity must be between 1 and {options.Value.MaxBuyQuantity} (the per-order cap).");
        RuleFor(c => c.IdempotencyKey).ValidIdempotencyKey();
    }
}

public sealed class SetStockLevelCommandValidator : AbstractValidator<SetStockLevelCommand>
{
    public SetStockLevelCommandValidator(IOptions<HyperstoreOptions> options)
    {
        RuleFor(c => c.Region).KnownRegion(options.Value);
        RuleFor(c => c.Quantity).InclusiveBetween(0, Quantity.Max)
            .WithMessage($"quantity must be between 0 and {Quantity.Max}.");
        RuleFor(c => c.IdempotencyKey).ValidIdempotencyKey();
    }
}

public sealed class RestockHyperCommandValidator : AbstractValidator<RestockHyperCommand>
{
    public RestockHyperCommandValidator(IOptions<HyperstoreOptions> options)
    {
        RuleFor(c => c.Region).KnownRegion(options.Value);
        RuleFor(c => c.Quantity).InclusiveBetween(1, Quantity.Max)
            .WithMessage($"quantity must be between 1 and {Quantity.Max}.");
        RuleFor(c => c.IdempotencyKey).ValidIdempotencyKey();
    }
}

public static class StoreValidationRules
{
    public static IRuleBuilderOptions<T, string> KnownRegion<T>(this IRuleBuilder<T, string> rule, HyperstoreOptions options) =>
        rule.Must(options.IsKnownRegion)
            .WithMessage((_, region) => $"Unknown region '{Shorten(region)}'; known regions: {string.Join(", ", options.Regions)}.");

    public static IRuleBuilderOptions<T, string?> ValidIdempotencyKey<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(key => key is null || CommandId.TryParse(key, out _, out _))
            .WithName("Idempotency-Key")
            .WithMessage($"The Idempotency-Key header must be 1 to {CommandId.MaxLength} letters, digits, '.', '_', ':' or '-'.");

    private static string Shorten(object? value)
    {
        var text = value?.ToString() ?? string.Empty;
        return text.Length <= 40 ? text : text[..40] + "…";
    }
}
