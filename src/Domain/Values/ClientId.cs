using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Hyperstore.Domain.Values;

/// <summary>The OAuth2 client that issued a command; it scopes idempotency keys and per-client totals.</summary>
public readonly partial record struct ClientId
{
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
        if (!Pattern().IsMatch(text))
        {
            error = $"Client id '{Region.Truncate(text)}' is invalid: use 1 to 64 letters, digits, '.', '_' or '-'.";
            return false;
        }
        id = new ClientId(text);
        error = null;
        return true;
    }

    public override string ToString() => Value;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
