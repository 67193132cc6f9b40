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
        var refusal = Refusal(client, context.Request);
        if (refusal is not null && client is not null && clients.Caches)
        {
            // The record may have been remembered from before a new secret or new scopes: Redis decides a refusal.
            client = await clients.FindAsync(client.ClientId, fresh: true);
            refusal = Refusal(client, context.Request);
        }
        if (refusal is { } refused)
        {
            context.Reject(refused.Error, refused.Description);
            return;
        }
        // The issuing handler needs the client's scopes too: it takes them from here instead of looking the client up again.
        context.Transaction.Properties[ClientProperty] = client;
    }

    internal const string ClientProperty = "hyperstore:client";

    private static (string Error, string Description)? Refusal(ClientRecord? client, OpenIddictRequest request)
    {
        if (client is null || string.IsNullOrEmpty(request.ClientSecret) || !ClientSecrets.Matches(request.ClientSecret, client.SecretHash))
        {
            return (Errors.InvalidClient, "The client credentials are invalid.");
        }
        var notAllowed = request.GetScopes().Where(scope => !client.Scopes.Contains(scope, StringComparer.Ordinal)).ToList();
        return notAllowed.Count > 0 ? (Errors.InvalidScope, $"The client may not request: {string.Join(' ', notAllowed)}.") : null;
    }
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

        // No claim destinations: OpenIddict always puts the subject and the scopes into an access token, and sets its
        // client_id from the request. Setting them per claim serialised a JSON array into every claim's properties,
        // a tenth of what a token request allocated.
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, clientId));
        identity.SetScopes(scopes);
        context.SignIn(new ClaimsPrincipal(identity));
    }
}
