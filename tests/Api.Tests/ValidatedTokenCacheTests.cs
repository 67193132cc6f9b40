using System.Security.Claims;
using Hyperstore.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Xunit;

namespace Hyperstore.Api.Tests;

public class ValidatedTokenCacheTests
{
    // The cache also expires entries by the real clock, so the times here are around now.
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static AuthenticationTicket Ticket() =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "shopper")], "test")), CachedBearerHandler.SchemeName);

    [Fact]
    public void TryGet_BeforeTheTokenExpires_ReturnsTheValidatedTicket()
    {
        using var cache = new ValidatedTokenCache();
        var ticket = Ticket();
        cache.Add("token-a", ticket, Now.AddMinutes(1), Now);

        Assert.True(cache.TryGet("token-a", Now.AddSeconds(59), out var cached));
        Assert.Same(ticket, cached);
        Assert.False(cache.TryGet("token-b", Now, out _));
    }

    [Fact]
    public void TryGet_AtOrAfterExpiry_ReturnsNothing()
    {
        using var cache = new ValidatedTokenCache();
        cache.Add("token-a", Ticket(), Now.AddMinutes(1), Now);

        Assert.False(cache.TryGet("token-a", Now.AddMinutes(1), out _));
        Assert.False(cache.TryGet("token-a", Now.AddHours(1), out _));
    }
}
