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

public sealed class StockQueryHandlers(ReadModelReader readModel, IOptions<HyperstoreOptions> options, TimeProvider clock) :
    IQueryHandler<GetStockQuery, StockView>,
    IQueryHandler<GetAllStockQuery, IReadOnlyList<StockView>>,
    IQueryHandler<GetActivityQuery, IReadOnlyList<ActivityEntry>>
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public async ValueTask<StockView> Handle(GetStockQuery query, CancellationToken cancellationToken)
    {
        var region = Region.Parse(query.Region);
        var view = await readModel.GetStockAsync(region);
        if (query.MinPosition is null)
        {
            return view;
        }

        // Read-your-writes: wait, bounded, for the projector to pass the client's own write.
        var wanted = StreamPosition.Parse(query.MinPosition);
        var started = clock.GetTimestamp();
        while (view.Position < wanted)
        {
            if (clock.GetElapsedTime(started) >= options.Value.ReadYourWritesTimeout)
            {
                throw new StaleReadException(view, wanted);
            }
            await Task.Delay(PollInterval, clock, cancellationToken);
            view = await readModel.GetStockAsync(region);
        }
        return view;
    }

    public async ValueTask<IReadOnlyList<StockView>> Handle(GetAllStockQuery query, CancellationToken cancellationToken)
    {
        var regions = options.Value.Regions.Select(Region.Parse);
        return await Task.WhenAll(regions.Select(readModel.GetStockAsync));
    }

    public async ValueTask<IReadOnlyList<ActivityEntry>> Handle(GetActivityQuery query, CancellationToken cancellationToken) =>
        await readModel.GetActivityAsync(Region.Parse(query.Region), query.Count);
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
