using Hyperstore.Domain;
using Hyperstore.Domain.Values;
using Xunit;

namespace Hyperstore.Domain.Tests;

public class ValueTypeTests
{
    [Theory]
    [InlineData("eu")]
    [InlineData("na")]
    [InlineData("sa-east-1")]
    [InlineData("abcdefghijklmnop")]
    public void Region_WithValidName_Parses(string text) => Assert.Equal(text, Region.Parse(text).Value);

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("e", "invalid")]
    [InlineData("EU", "invalid")]
    [InlineData("1eu", "invalid")]
    [InlineData("eu:x", "invalid")]
    [InlineData("{eu}", "invalid")]
    [InlineData("abcdefghijklmnopq", "invalid")]
    [InlineData("eu\n", "invalid")]
    public void Region_WithBadName_IsRejectedWithAClearMessage(string? text, string expected)
    {
        var error = Assert.Throws<DomainValidationException>(() => Region.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("loadtest")]
    [InlineData("ops.team_1-a")]
    public void ClientId_WithValidText_Parses(string text) => Assert.Equal(text, ClientId.Parse(text).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("colon:no")]
    [InlineData("brace{")]
    [InlineData("loadtest\n")]
    public void ClientId_WithBadText_IsRejected(string? text) =>
        Assert.False(ClientId.TryParse(text, out _, out var error) || error is null);

    [Fact]
    public void ClientId_LongerThan64_IsRejected() =>
        Assert.Throws<DomainValidationException>(() => ClientId.Parse(new string('a', 65)));

    [Theory]
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("order:42")]
    [InlineData("a")]
    public void CommandId_WithValidText_Parses(string text) => Assert.Equal(text, CommandId.Parse(text).Value);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("white space")]
    [InlineData("slash/no")]
    [InlineData("ünïcode")]
    [InlineData("k1\n")]
    public void CommandId_WithBadText_IsRejected(string? text) =>
        Assert.Throws<DomainValidationException>(() => CommandId.Parse(text));

    [Fact]
    public void CommandId_LongerThanMax_IsRejected() =>
        Assert.Throws<DomainValidationException>(() => CommandId.Parse(new string('k', CommandId.MaxLength + 1)));

    [Fact]
    public void CommandId_New_IsValidAndUnique()
    {
        var first = CommandId.New();
        Assert.Equal(first, CommandId.Parse(first.Value));
        Assert.NotEqual(first, CommandId.New());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Quantity.Max)]
    public void Quantity_InRange_IsCreated(long value) => Assert.Equal(value, Quantity.Of(value).Value);

    [Theory]
    [InlineData(-1, "negative")]
    [InlineData(long.MinValue, "negative")]
    [InlineData(Quantity.Max + 1, "at most")]
    [InlineData(long.MaxValue, "at most")]
    public void Quantity_OutOfRange_IsRejectedWithAClearMessage(long value, string expected)
    {
        var error = Assert.Throws<DomainValidationException>(() => Quantity.Of(value));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantity_ComparesByValue()
    {
        Assert.True(Quantity.Of(1) < Quantity.Of(2));
        Assert.True(Quantity.Of(2) >= Quantity.Of(2));
        Assert.Equal(Quantity.Zero, Quantity.Of(0));
    }
}
