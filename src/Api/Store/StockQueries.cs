using FluentValidation;
using Hyperstore.Api.Hosting;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.ReadModel;
using Mediator;
using Microsoft.Extensions.Options;

namespace Hyperstore.Api.Store;

/// <summary>The read model's stock of a region; with <paramref name="MinPosition"/>, at least that fresh.</summary>
public sealed record GetStockQuery(string Region, string? MinPosition) : IQuery<StockView>;

public sealed record GetAllStockQuery : IQuery<IReadOnlyList<StockView>>;

public sealed record GetActivityQuery(string Region, int Count) : IQuery<IReadOnlyList<ActivityEntry>>;

/// <summary>The read model did not reach the position a client asked for within the wait it is allowed.</summary>
public sealed class StaleReadException(StockView view, StreamPosition wanted)
    : Exception($"The read model of '{view.Region}' is at {view.Position}; the request asked for at least {wanted}.")
{
    public StockView View { get; } = view;
    public StreamPosition Wanted { get; } = wanted;
}

public sealed class StockQueryHandlers(LiveStockViews views, ReadModelReader readModel, EventStreamReader stream, IOptions<HyperstoreOptions> options) :
    IQueryHandler<GetStockQuery, StockView>,
    IQueryHandler<GetAllStockQuery, IReadOnlyList<StockView>>,
    IQueryHandler<GetActivityQuery, IReadOnlyList<ActivityEntry>>
{
    public ValueTask<StockView> Handle(GetStockQuery query, CancellationToken cancellationToken)
    {
        var region = Region.Parse(query.Region);
        var read = views.GetAsync(region);
        return query.MinPosition is null ? read : AtLeastAsync(region, read, StreamPosition.Parse(query.MinPosition), cancellationToken);
    }

    public async ValueTask<IReadOnlyList<StockView>> Handle(GetAllStockQuery query, CancellationToken cancellationToken)
    {
        var all = new List<StockView>(options.Value.Regions.Length);
        foreach (var region in options.Value.Regions)
        {
            all.Add(await views.GetAsync(Region.Parse(region)));
        }
        return all;
    }

    public async ValueTask<IReadOnlyList<ActivityEntry>> Handle(GetActivityQuery query, CancellationToken cancellationToken) =>
        await readModel.GetActivityAsync(Region.Parse(query.Region), query.Count);

    /// <summary>
    /// Read-your-writes: waits, bounded, for the projector to pass the client's own write. A position the region's stream has
    /// not reached was not written there (another region's, or made up): waiting for it would only end in a stale read.
    /// </summary>
    private async ValueTask<StockView> AtLeastAsync(Region region, ValueTask<StockView> read, StreamPosition wanted, CancellationToken cancellationToken)
    {
        var view = await read;
        if (view.Position < wanted)
        {
            var newest = await stream.LastGeneratedAsync(region);
            if (wanted > newest)
            {
                throw new ValidationException([new FluentValidation.Results.ValidationFailure("minPosition",
                    $"minPosition {wanted} is after the newest position of region '{region}' ({newest}): no write of that region has it.")]);
            }
            view = await views.WaitForPositionAsync(region, wanted, options.Value.ReadYourWritesTimeout, cancellationToken);
        }
        return view.Position >= wanted ? view : throw new StaleReadException(view, wanted);
    }
}

public sealed class GetStockQueryValidator : AbstractValidator<GetStockQuery>
{
    public GetStockQueryValidator(IOptions<HyperstoreOptions> options)
    {
        RuleFor(q => q.Region).KnownRegion(options.Value);
        RuleFor(q => q.MinPosition).Must(p => p is null || StreamPosition.TryParse(p, out _))
            .WithMessage("minPosition must be a stream position such as 1764400000000-0 (the 'position' of a write's answer).");
    }
}

public sealed class GetActivityQueryValidator : AbstractValidator<GetActivityQuery>
{
    public const int MaxCount = 100;

    public GetActivityQueryValidator(IOptions<HyperstoreOptions> options)
    {
        RuleFor(q => q.Region).KnownRegion(options.Value);
        RuleFor(q => q.Count).InclusiveBetween(1, MaxCount).WithMessage($"count must be between 1 and {MaxCount}.");
    }
}
