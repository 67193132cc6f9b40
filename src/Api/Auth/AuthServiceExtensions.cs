using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Hyperstore.Api.Auth;

public static class AuthServiceExtensions
{
    /// <summary>
    /// OAuth2 client credentials with OpenIddict, without a database: clients live in Redis, tokens are signed
    /// (not encrypted) JWTs that every instance sharing the signing key validates locally.
    /// </summary>
    public static IHostApplicationBuilder AddHyperstoreAuth(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration("Auth")
            .Validate(o => o.ClientCacheTime >= TimeSpan.Zero, "Auth:ClientCacheTime must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new ClientStore(services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
            services.GetRequiredService<IOptions<AuthOptions>>().Value.ClientCacheTime, services.GetRequiredService<TimeProvider>()));

        builder.Services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetTokenEndpointUris("oauth/token");
                server.AllowClientCredentialsFlow();
                server.RegisterScopes([.. ApiScopes.All]);
                server.SetIssuer(options.Issuer);
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);

                server.EnableDegradedMode();
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                server.DisableAccessTokenEncryption();
                // Nothing encrypted is issued, but OpenIddict refuses to start without an encryption key.
                server.AddEphemeralEncryptionKey();
                foreach (var key in LoadSigningKeys(options, builder.Environment))
                {
                    server.AddSigningKey(key);
                }

                server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseSingletonHandler<ValidateClientCredentialsHandler>());
                server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseSingletonHandler<IssueAccessTokenHandler>());
                server.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.ProcessSignInContext>(handler =>
                    handler.UseSingletonHandler<RememberIssuedTokenHandler>().SetOrder(RememberIssuedTokenHandler.Order));

                // Token answers are for programs: indenting them made a tenth of what a token request allocated.
                var aspNetCore = server.UseAspNetCore().SuppressJsonResponseIndentation();
                if (!options.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });

        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddAuthentication(CachedBearerHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, CachedBearerHandler>(CachedBearerHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddScopePolicies();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        return builder;
    }

    private static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var scope in ApiScopes.All)
        {
            // No scheme named here: the policy uses the user that UseHyperstoreAuthentication set, instead of
            // authenticating the request a second time. Challenges and forbids go to the default scheme.
            authorization.AddPolicy(scope, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }
        return authorization;
    }

    private static IEnumerable<Microsoft.IdentityModel.Tokens.SecurityKey> LoadSigningKeys(AuthOptions options, IHostEnvironment environment)
    {
        var pem = options.SigningKeyPem;
        if (string.IsNullOrWhiteSpace(pem) && !string.IsNullOrWhiteSpace(options.SigningKeyPath))
        {
            pem = File.ReadAllText(options.SigningKeyPath);
        }
        if (string.IsNullOrWhiteSpace(pem))
        {
            if (!environment.IsDevelopment())
            {
                throw new OptionsValidationException("Auth", typeof(AuthOptions),
                    ["No token signing key: set Auth__SigningKeyPem or Auth__SigningKeyPath (an RSA or EC private key in PEM)."]);
            }
            yield return SigningKeys.Ephemeral();
        }
        else
        {
            yield return SigningKeys.FromPem(pem);
        }
        foreach (var previous in options.PreviousSigningKeysPem.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            yield return SigningKeys.FromPem(previous);
        }
    }
}
