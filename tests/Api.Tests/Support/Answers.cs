namespace Hyperstore.Api.Tests.Support;

// The API's answers as docs/api.md documents them, read strictly (Http.Strict): the tests own the contract, not the server's types.

public sealed record BuyAnswer(string Region, long Quantity, long Bought, string Position, bool Replayed);

public sealed record StockChangeAnswer(string Region, long Quantity, string Position, bool Replayed);

public sealed record StockAnswer(long Quantity, string Region, string Position, DateTimeOffset? UpdatedAt);

public sealed record ActivityAnswer(string Position, string Type, string Client, long Quantity, long Stock, DateTimeOffset At);

public sealed record EventAnswer(string Position, string Type, long Quantity, long LevelBefore, long LevelAfter, string Client,
    string CommandId, DateTimeOffset OccurredAt);

public sealed record EventPageAnswer(string Region, EventAnswer[] Events, string? Next);

public sealed record StockAsOfAnswer(string Region, long Quantity, string Position, long Events, bool FromSnapshot);

public sealed record VerificationAnswer(string Region, bool Consistent, long WriteStock, long ReplayStock, long ReadModelStock,
    string StreamHead, string ReadModelPosition, long EventsBehind, long Events, string[] Differences);
