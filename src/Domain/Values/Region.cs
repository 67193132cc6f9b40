using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Hyperstore.Domain.Values;

/// <summary>A region that owns its own stock and its own event stream, e.g. <c>eu</c>, <c>na</c>, <c>sa</c>.</summary>
public readonly partial record struct Region
{
    public string Value { get; }

    private Region(string value) => Value = value;

    public static Region Parse(string? text) =>
        TryParse(text, out var region, out var error) ? region : throw new DomainValidationException(error);

    public static bool TryParse(string? text, out Region region, [NotNullWhen(false)] out string? error)
    {
        region = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "Region is required.";
            return false;
        }
        if (!Pattern().IsMatch(text))
        {
            error = $"Region '{Truncate(text)}' is invalid: use 2 to 16 lowercase letters, digits or '-', starting with a letter.";
            return false;
        }
        region = new Region(text);
        error = null;
        return true;
    }

    public override string ToString() => Value;

    internal static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    // \z, not $: '$' also matches before a final newline, which let "eu\n" through.
    [GeneratedRegex(@"^[a-z][a-z0-9-]{1,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
