using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Hyperstore.Api.Auth;

/// <summary>
/// Answers a token that lacks the endpoint's scope as RFC 6750 asks: 403 with
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…"</c> (the default would say insufficient_access).
/// </summary>
public sealed class InsufficientScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure)
        {
            var scopes = failure.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToList();
            if (scopes.Count > 0)
            {
                var properties = new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictValidationAspNetCoreConstants.Properties.Error] = Errors.InsufficientScope,
                    [OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription] = $"This request needs the scope '{string.Join(' ', scopes)}'.",
                    [OpenIddictValidationAspNetCoreConstants.Properties.Scope] = string.Join(' ', scopes),
                });
                await BearerAuthentication.EnsureValidationTransactionAsync(context);
                await context.ForbidAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme, properties);
                return;
            }
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>The token must carry <see cref="Scope"/>.</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasScope(requirement.Scope))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
