using System.Security.Claims;
using OpenIddict.Abstractions;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Hyperstore.Api.Auth;

/// <summary>
/// Authenticates the client of a token request against <see cref="ClientStore"/> and checks the scopes it asks for.
/// OpenIddict runs in degraded mode (no application store), so this is where client authentication happens.
/// </summary>
public sealed class ValidateClientCredentialsHandler(ClientStore clients) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType())
        {
            context.Reject(Errors.UnsupportedGrantType, "Only the client_credentials grant is supported.");
            return;
        }
        var client = string.IsNullOrEmpty(context.ClientId) ? null : await clients.FindAsync(context.ClientId);
        if (client is null || string.IsNullOrEmpty(context.Request.ClientSecret)
            || !ClientSecrets.Matches(context.Request.ClientSecret, client.SecretHash))
        {
            context.Reject(Errors.InvalidClient, "The client credentials are invalid.");
            return;
        }
        var notAllowed = context.Request.GetScopes().Where(scope => !client.Scopes.Contains(scope, StringComparer.Ordinal)).ToList();
        if (notAllowed.Count > 0)
        {
            context.Reject(Errors.InvalidScope, $"The client may not request: {string.Join(' ', notAllowed)}.");
            return;
        }
        // The issuing handler needs the client's scopes too: one Redis lookup per token request is enough.
        context.Transaction.Properties[ClientProperty] = client;
    }

    internal const string ClientProperty = "hyperstore:client";
}

/// <summary>Issues the access token: subject = client id, the requested scopes (all the client's when it names none).</summary>
public sealed class IssueAccessTokenHandler(ClientStore clients) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        var clientId = context.Request.ClientId!;
        var requested = context.Request.GetScopes();
        var client = context.Transaction.Properties.TryGetValue(ValidateClientCredentialsHandler.ClientProperty, out var validated)
            ? (ClientRecord)validated!
            : await clients.FindAsync(clientId);
        var scopes = requested.IsEmpty ? client?.Scopes ?? [] : [.. requested];

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, clientId);
        identity.SetClaim(Claims.ClientId, clientId);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        context.SignIn(new ClaimsPrincipal(identity));
    }
}
