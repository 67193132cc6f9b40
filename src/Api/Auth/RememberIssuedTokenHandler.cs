using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Hyperstore.Api.Auth;

/// <summary>
/// Puts each access token this instance issues into <see cref="ValidatedTokenCache"/> with the identity it was issued
/// for, so that its first use here skips validation: the token was made and signed by this process a moment ago.
/// Validating it again (OpenIddict's validation pipeline and an ES256 signature check) cost more than issuing it. A
/// token used at another instance is validated there as usual.
/// </summary>
public sealed class RememberIssuedTokenHandler(ValidatedTokenCache cache) : IOpenIddictServerHandler<ProcessSignInContext>
{
    /// <summary>Right after OpenIddict has generated (and signed) the access token.</summary>
    public static int Order { get; } = OpenIddictServerHandlers.GenerateAccessToken.Descriptor.Order + 1_000;

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.AccessToken is { Length: > 0 } token
            && context.AccessTokenPrincipal is { } principal
            && principal.GetExpirationDate() is { } expires)
        {
            var properties = new AuthenticationProperties { IssuedUtc = principal.GetCreationDate(), ExpiresUtc = expires };
            // Low priority: a flood of token requests must not push out the tokens that requests are presenting.
            cache.Add(ValidatedTokenCache.CredentialsOf(token), new AuthenticationTicket(ValidatedTokenCache.Essentials(principal), properties, CachedBearerHandler.SchemeName), expires,
                Microsoft.Extensions.Caching.Memory.CacheItemPriority.Low);
        }
        return default;
    }
}
