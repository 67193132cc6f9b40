using System.Globalization;
using FluentValidation;
using Hyperstore.Api.Hosting;
using Hyperstore.Api.Store;
using Hyperstore.Domain.Values;
using Hyperstore.Ledger;
using Hyperstore.Ledger.Audit;
using Mediator;
using Microsoft.Extensions.Options;

namespace Hyperstore.Api.Audit;

/// <summary>Events of a region strictly after <paramref name="From"/> (a position, or a time: events at or after it).</summary>
public sealed record ListEventsQuery(string Region, string? From, int Count) : IQuery<EventPage>;

/// <summary>The stock as of <paramref name="At"/> (a position or a time; now when null), rebuilt by replaying the stream.</summary>
public sealed record StockAsOfQuery(string Region, string? At) : IQuery<StockAsOf>;

/// <summary>Replays the stream and compares it with the write-side stock and the read model.</summary>
public sealed record VerifyLedgerQuery(string Region) : IQuery<LedgerVerification>;

public sealed record EventPage(string Region, IReadOnlyList<RecordedEvent> Events, StreamPosition? Next);

public sealed class AuditQueryHandlers(LedgerAuditor auditor, EventStreamReader reader) :
    IQueryHandler<ListEventsQuery, EventPage>,
    IQueryHandler<StockAsOfQuery, StockAsOf>,
    IQueryHandler<VerifyLedgerQuery, LedgerVerification>
{
    public async ValueTask<EventPage> Handle(ListEventsQuery query, CancellationToken cancellationToken)
    {
        var region = Region.Parse(query.Region);
        var after = AuditPositions.After(query.From);
        var events = await reader.ReadPageAsync(region, after, query.Count);
        return new EventPage(region.Value, events, events.Count == query.Count ? events[^1].Position : null);
    }

    public async ValueTask<StockAsOf> Handle(StockAsOfQuery query, CancellationToken cancellationToken) =>
        await auditor.StockAsOfAsync(Region.Parse(query.Region), AuditPositions.UpTo(query.At), cancellationToken);

    public async ValueTask<LedgerVerification> Handle(VerifyLedgerQuery query, CancellationToken cancellationToken) =>
        await auditor.VerifyAsync(Region.Parse(query.Region), cancellationToken);
}

/// <summary>Audit parameters name a point either as a stream position or as an ISO 8601 time.</summary>
public static class AuditPositions
{
    public static bool IsValid(string? text) =>
        text is null || StreamPosition.TryParse(text, out _) || TryParseTime(text, out _);

    public static StreamPosition After(string? from)
    {
        if (from is null)
        {
            return StreamPosition.Start;
        }
        if (StreamPosition.TryParse(from, out var position))
        {
            return position;
        }
        if (!TryParseTime(from, out var time))
        {
            throw new FormatException($"'{from}' is neither a stream position nor a time.");
        }
        var ms = time.ToUnixTimeMilliseconds();
        return ms <= 0 ? StreamPosition.Start : new StreamPosition(ms - 1, long.MaxValue);
    }

    public static StreamPosition? UpTo(string? at)
    {
        if (at is null)
        {
            return null;
        }
        if (StreamPosition.TryParse(at, out var position))
        {
            return position;
        }
        if (!TryParseTime(at, out var time))
        {
            throw new FormatException($"'{at}' is neither a stream position nor a time.");
        }
        return StreamPosition.AtTime(time);
    }

    // ISO 8601 only: a lenient parse would read "1-2-3" as 2 January 2003 and "03/04/2026" as 4 March.
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    private static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        && time.ToUnixTimeMilliseconds() >= 0;
}

public sealed class ListEventsQueryValidator : AbstractValidator<ListEventsQuery>
{
    public const int MaxCount = 1000;

    public ListEventsQueryValidator(IOptions<HyperstoreOptions> options)
    {
        RuleFor(q => q.Region).KnownRegion(options.Value);
        RuleFor(q => q.From).Must(AuditPositions.IsValid).WithMessage("from must be a stream position (1764400000000-0) or an ISO 8601 time.");
        RuleFor(q => q.Count).InclusiveBetween(1, MaxCount).WithMessage($"count must be between 1 and {MaxCount}.");
    }
}

public sealed class StockAsOfQueryValidator : AbstractValidator<StockAsOfQuery>
{
    public StockAsOfQueryValidator(IOptions<HyperstoreOptions> options)
    {
        RuleFor(q => q.Region).KnownRegion(options.Value);
        RuleFor(q => q.At).Must(AuditPositions.IsValid).WithMessage("at must be a stream position (1764400000000-0) or an ISO 8601 time.");
    }
}

public sealed class VerifyLedgerQueryValidator : AbstractValidator<VerifyLedgerQuery>
{
    public VerifyLedgerQueryValidator(IOptions<HyperstoreOptions> options) => RuleFor(q => q.Region).KnownRegion(options.Value);
}
