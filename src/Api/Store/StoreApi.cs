using FluentValidation;
using FluentValidation.Results;
using Hyperstore.Api.Auth;
using Hyperstore.Api.Problems;
using Hyperstore.Api.Hosting;
using Hyperstore.Domain;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Hyperstore.Api.Store;

/// <summary>The store's endpoints, with the PHP version's paths.</summary>
public static class StoreApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapStore(this IEndpointRouteBuilder endpoints)
    {
        var store = endpoints.MapGroup("/api/hyper").WithTags("Store").RequireRateLimiting(RateLimiting.PerClientPolicy);

        store.MapGet("/", GetStock).RequireAuthorization(ApiScopes.Read)
            .WithSummary("The stock of a region, from the read model.");
        store.MapGet("/all", GetAllStock).RequireAuthorization(ApiScopes.Read)
            .WithSummary("The stock of every region, from the read model.");
        store.MapGet("/activity", GetActivity).RequireAuthorization(ApiScopes.Read)
            .WithSummary("Recent activity of a region, newest first.");
        store.MapPut("/own", Buy).RequireAuthorization(ApiScopes.Buy)
            .WithSummary("Buy one hyper, or {\"quantity\": n}. Honours Idempotency-Key.");
        store.MapPost("/", SetStockLevel).RequireAuthorization(ApiScopes.Stock)
            .WithSummary("Set the stock level of a region.");
        store.MapPost("/restock", Restock).RequireAuthorization(ApiScopes.Stock)
            .WithSummary("Add hypers to the stock of a region.");
        return endpoints;
    }

    public sealed record QuantityRequest(long? Quantity);

    public sealed record StockResponse(long Quantity, string Region, string Position, DateTimeOffset? UpdatedAt);

    public sealed record BuyResponse(string Region, long Quantity, long Bought, string Position, bool Replayed);

    public sealed record StockChangeResponse(string Region, long Quantity, string Position, bool Replayed);

    private static async Task<JsonOk<StockResponse>> GetStock(IMediator mediator, IOptions<HyperstoreOptions> options,
        string? region, string? minPosition, CancellationToken cancellationToken)
    {
        var view = await mediator.Send(new GetStockQuery(region ?? options.Value.Region, minPosition), cancellationToken);
        return new(ToResponse(view), StoreJsonContext.Default.StockResponse);
    }

    private static async Task<JsonOk<StockResponse[]>> GetAllStock(IMediator mediator, CancellationToken cancellationToken)
    {
        var views = await mediator.Send(new GetAllStockQuery(), cancellationToken);
        return new(views.Select(ToResponse).ToArray(), StoreJsonContext.Default.StockResponseArray);
    }

    private static async Task<Ok<IReadOnlyList<ActivityEntry>>> GetActivity(IMediator mediator, IOptions<HyperstoreOptions> options,
        string? region, int? count, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new GetActivityQuery(region ?? options.Value.Region, count ?? 20), cancellationToken));

    private static async Task<Results<JsonOk<BuyResponse>, ProblemHttpResult>> Buy(IMediator mediator, IOptions<HyperstoreOptions> options,
        HttpContext http, TimeProvider clock, string? region, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] QuantityRequest? body,
        CancellationToken cancellationToken)
    {
        var command = new BuyHyperCommand(region ?? options.Value.Region, body?.Quantity ?? 1, ClientOf(http), idempotencyKey, clock.GetUtcNow());
        return await mediator.Send(command, cancellationToken) switch
        {
            AppendResult.Applied applied => new JsonOk<BuyResponse>(
                new BuyResponse(command.Region, applied.Stock.Value, command.Quantity, applied.Position.ToString(), applied.IsReplay),
                StoreJsonContext.Default.BuyResponse),
            AppendResult.Rejected rejected => Rejection(rejected.Rejection),
            _ => throw new InvalidOperationException("Unknown append result."),
        };
    }

    private static Task<Results<JsonOk<StockChangeResponse>, ProblemHttpResult>> SetStockLevel(IMediator mediator,
        IOptions<HyperstoreOptions> options, HttpContext http, TimeProvider clock, string? region,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, QuantityRequest body, CancellationToken cancellationToken) =>
        ChangeStock(mediator, new SetStockLevelCommand(region ?? options.Value.Region, Required(body), ClientOf(http), idempotencyKey,
            clock.GetUtcNow()), cancellationToken);

    private static Task<Results<JsonOk<StockChangeResponse>, ProblemHttpResult>> Restock(IMediator mediator,
        IOptions<HyperstoreOptions> options, HttpContext http, TimeProvider clock, string? region,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, QuantityRequest body, CancellationToken cancellationToken) =>
        ChangeStock(mediator, new RestockHyperCommand(region ?? options.Value.Region, Required(body), ClientOf(http), idempotencyKey,
            clock.GetUtcNow()), cancellationToken);

    private static async Task<Results<JsonOk<StockChangeResponse>, ProblemHttpResult>> ChangeStock(IMediator mediator,
        ICommand<AppendResult> command, CancellationToken cancellationToken)
    {
        var region = command switch
        {
            SetStockLevelCommand set => set.Region,
            RestockHyperCommand restock => restock.Region,
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        return await mediator.Send(command, cancellationToken) switch
        {
            AppendResult.Applied applied => new JsonOk<StockChangeResponse>(
                new StockChangeResponse(region, applied.Stock.Value, applied.Position.ToString(), applied.IsReplay),
                StoreJsonContext.Default.StockChangeResponse),
            AppendResult.Rejected rejected => Rejection(rejected.Rejection),
            _ => throw new InvalidOperationException("Unknown append result."),
        };
    }

    /// <summary>Refusals by the ledger's rules are business answers: 409, never 5xx.</summary>
    private static ProblemHttpResult Rejection(StockRejection rejection) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        type: rejection switch
        {
            SoldOut => ProblemTypes.SoldOut,
            StockLimitExceeded => ProblemTypes.StockLimit,
            IdempotencyKeyReused => ProblemTypes.IdempotencyKeyReused,
            _ => ProblemTypes.Validation,
        },
        title: rejection switch
        {
            SoldOut => "Sold out.",
            StockLimitExceeded => "Stock limit exceeded.",
            IdempotencyKeyReused => "Idempotency key reused.",
            _ => "Refused.",
        },
        detail: rejection.Reason);

    private static StockResponse ToResponse(StockView view) =>
        new(view.Quantity, view.Region, view.Position.ToString(), view.UpdatedAt);

    private static string ClientOf(HttpContext http) =>
        http.User.FindFirst(Claims.Subject)?.Value ?? throw new InvalidOperationException("An authorized request has no subject.");

    private static long Required(QuantityRequest? body) => body?.Quantity ?? throw new ValidationException(
        [new ValidationFailure("quantity", "quantity is required, e.g. {\"quantity\": 500}.")]);
}
