using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Hyperstore.Domain.Values;

/// <summary>
/// The idempotency key of a command. A command retried with the same id (by the same client, in the same
/// region) is applied at most once; the same id with a different command is rejected.
/// </summary>
public readonly record struct CommandId
{
    public const int MaxLength = 100;

    // A set, not a regular expression: see ClientId.
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    public string Value { get; }

    private CommandId(string value) => Value = value;

    public static CommandId Parse(string? text) =>
        TryParse(text, out var id, out var error) ? id : throw new DomainValidationException(error);

    public static bool TryParse(string? text, out CommandId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "Command id (idempotency key) is required.";
            return false;
        }
        if (text.Length > MaxLength || text.AsSpan().ContainsAnyExcept(Allowed))
        {
            error = $"Idempotency key '{Region.Truncate(text)}' is invalid: use 1 to {MaxLength} letters, digits, '.', '_', ':' or '-'.";
            return false;
        }
        id = new CommandId(text);
        error = null;
        return true;
    }

    public static CommandId New() => new(Guid.NewGuid().ToString("N"));

    public override string ToString() => Value;
}
