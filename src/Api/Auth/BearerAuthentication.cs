using Microsoft.AspNetCore.Authentication;
using OpenIddict.Validation.AspNetCore;

namespace Hyperstore.Api.Auth;

/// <summary>
/// Authentication for the API's resource endpoints. ASP.NET Core's own middleware lets every scheme that handles
/// requests look at every request, which runs OpenIddict's whole server pipeline (is this a token request?) on each
/// GET. Outside <c>/oauth</c> only the bearer token matters, so only that is looked at.
/// </summary>
public static class BearerAuthentication
{
    public static readonly PathString TokenPaths = "/oauth";

    public static IApplicationBuilder UseHyperstoreAuthentication(this IApplicationBuilder app)
    {
        // WebApplication adds UseAuthentication() at the very start of the pipeline (before the exception handler) unless
        // the app called it; this is the marker UseAuthentication() itself sets. Without it, the full middleware would
        // still run on every request, and a Redis outage at the token endpoint would escape the problem-details handler.
        app.Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseWhen(context => context.Request.Path.StartsWithSegments(TokenPaths), oauth => oauth.UseAuthentication());
        var cache = app.ApplicationServices.GetRequiredService<ValidatedTokenCache>();
        app.UseWhen(context => !context.Request.Path.StartsWithSegments(TokenPaths), resources => resources.Use(async (context, next) =>
        {
            // A token seen before needs no authentication handler at all (building one per request takes a lock).
            var credentials = CachedBearerHandler.BearerCredentials(context.Request);
            if (credentials is not null && cache.TryGet(credentials, out var ticket))
            {
                context.User = ticket.Principal;
            }
            else
            {
                var result = await context.AuthenticateAsync(CachedBearerHandler.SchemeName);
                if (result.Principal is not null)
                {
                    context.User = result.Principal;
                }
            }
            await next(context);
        }));
        return app;
    }

    /// <summary>
    /// OpenIddict's validation handler keeps its per-request state in a transaction that its request-handling step
    /// creates; with that step skipped above, it is created here, only when OpenIddict is actually asked something.
    /// </summary>
    public static async Task EnsureValidationTransactionAsync(HttpContext context)
    {
        if (context.Features.Get<OpenIddictValidationAspNetCoreFeature>() is not null)
        {
            return;
        }
        var handlers = context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        if (await handlers.GetHandlerAsync(context, OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme) is IAuthenticationRequestHandler handler)
        {
            await handler.HandleRequestAsync();
        }
    }
}
