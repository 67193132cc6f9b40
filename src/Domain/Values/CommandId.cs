using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Hyperstore.Domain.Values;

/// <summary>
/// The idempotency key of a command. A command retried with the same id (by the same client, in the same
/// region) is applied at most once; the same id with a different command is rejected.
/// </summary>
public readonly partial record struct CommandId
{
    public const int MaxLength = 100;

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
        if (!Pattern().IsMatch(text))
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

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
