using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Hyperstore.Domain.Values;

/// <summary>The OAuth2 client that issued a command; it scopes idempotency keys and per-client totals.</summary>
public readonly record struct ClientId
{
    public const int MaxLength = 64;

    // A set, not a regular expression: the projector and every replay check each event's ids, and '$' would have
    // let a final newline through.
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public string Value { get; }

    private ClientId(string value) => Value = value;

    public static ClientId Parse(string? text) =>
        TryParse(text, out var id, out var error) ? id : throw new DomainValidationException(error);

    public static bool TryParse(string? text, out ClientId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "Client id is required.";
            return false;
        }
        if (text.Length > MaxLength || text.AsSpan().ContainsAnyExcept(Allowed))
        {
            error = $"Client id '{Region.Truncate(text)}' is invalid: use 1 to {MaxLength} letters, digits, '.', '_' or '-'.";
            return false;
        }
        id = new ClientId(text);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
