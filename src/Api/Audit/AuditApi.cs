using Hyperstore.Api.Auth;
using Hyperstore.Api.Hosting;
using Hyperstore.Ledger;
using Hyperstore.Ledger.Audit;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hyperstore.Api.Audit;

/// <summary>Audit endpoints: the ledger's events, past stock rebuilt by replay, and a consistency check.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder endpoints)
    {
        var audit = endpoints.MapGroup("/api/audit").WithTags("Audit")
            .RequireAuthorization(ApiScopes.Audit).RequireRateLimiting(RateLimiting.PerClientPolicy);

        audit.MapGet("/events", ListEvents).WithSummary("Events of a region after a position or from a time, paged.");
        audit.MapGet("/stock", StockAsOf).WithSummary("The stock as of a position or time, rebuilt by replaying the stream.");
        audit.MapGet("/verify", Verify).WithSummary("Compares replay, write-side stock and read model.");
        return endpoints;
    }

    public sealed record EventResponse(string Position, string Type, long Quantity, long LevelBefore, long LevelAfter,
        string Client, string CommandId, DateTimeOffset OccurredAt);

    public sealed record EventPageResponse(string Region, IReadOnlyList<EventResponse> Events, string? Next);

    public sealed record StockAsOfResponse(string Region, long Quantity, string Position, long Events, bool FromSnapshot);

    public sealed record VerificationResponse(string Region, bool Consistent, long WriteStock, long ReplayStock, long ReadModelStock,
        string StreamHead, string ReadModelPosition, long EventsBehind, long Events, IReadOnlyList<string> Differences);

    private static async Task<Ok<EventPageResponse>> ListEvents(IMediator mediator, IOptions<HyperstoreOptions> options,
        string? region, string? from, int? count, CancellationToken cancellationToken)
    {
        var page = await mediator.Send(new ListEventsQuery(region ?? options.Value.Region, from, count ?? 100), cancellationToken);
        return TypedResults.Ok(new EventPageResponse(page.Region, page.Events.Select(ToResponse).ToList(), page.Next?.ToString()));
    }

    private static async Task<Ok<StockAsOfResponse>> StockAsOf(IMediator mediator, IOptions<HyperstoreOptions> options,
        string? region, string? at, CancellationToken cancellationToken)
    {
        var stock = await mediator.Send(new StockAsOfQuery(region ?? options.Value.Region, at), cancellationToken);
        return TypedResults.Ok(new StockAsOfResponse(stock.Region, stock.Quantity, stock.Position.ToString(), stock.Events, stock.FromSnapshot));
    }

    private static async Task<Ok<VerificationResponse>> Verify(IMediator mediator, IOptions<HyperstoreOptions> options,
        string? region, CancellationToken cancellationToken)
    {
        var v = await mediator.Send(new VerifyLedgerQuery(region ?? options.Value.Region), cancellationToken);
        return TypedResults.Ok(new VerificationResponse(v.Region, v.Consistent, v.WriteStock, v.ReplayStock, v.ReadModelStock,
            v.StreamHead.ToString(), v.ReadModelPosition.ToString(), v.EventsBehind, v.Events, v.Differences));
    }

    private static EventResponse ToResponse(RecordedEvent recorded) => new(
        recorded.Position.ToString(), StockEventCodec.TypeName(recorded.Event), recorded.Event.Quantity.Value,
        recorded.Event.LevelBefore.Value, recorded.Event.LevelAfter.Value, recorded.Event.Client.Value,
        recorded.Event.CommandId.Value, recorded.Event.OccurredAt);
}
