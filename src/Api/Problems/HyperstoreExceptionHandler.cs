using FluentValidation;
using Hyperstore.Api.Store;
using Hyperstore.Domain;
using Hyperstore.Ledger;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Hyperstore.Api.Problems;

/// <summary>
/// Turns every exception that escapes an endpoint into problem details: bad input is the caller's 4xx,
/// an unreachable Redis (or one that refuses to serve for now, e.g. out of memory) is a 503 with Retry-After, anything
/// else a 500 that reveals nothing.
/// </summary>
public sealed partial class HyperstoreExceptionHandler(IProblemDetailsService problems, ILogger<HyperstoreExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        switch (exception)
        {
            case ValidationException validation:
                problem = new HttpValidationProblemDetails(validation.Errors
                    .GroupBy(e => JsonName(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()))
                {
                    Status = StatusCodes.Status400BadRequest,
                    Type = ProblemTypes.Validation,
                    Title = "The request is invalid.",
                    Detail = string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)),
                };
                break;
            case DomainValidationException domain:
                problem = Problem(StatusCodes.Status400BadRequest, ProblemTypes.Validation, "The request is invalid.", domain.Message);
                break;
            case BadHttpRequestException badRequest:
                problem = badRequest.StatusCode switch
                {
                    StatusCodes.Status415UnsupportedMediaType => Problem(badRequest.StatusCode, ProblemTypes.UnsupportedMediaType,
                        "Unsupported media type.", "Send the body as application/json."),
                    StatusCodes.Status413PayloadTooLarge => Problem(badRequest.StatusCode, ProblemTypes.PayloadTooLarge,
                        "The request body is too large.", badRequest.Message),
                    _ => Problem(StatusCodes.Status400BadRequest, ProblemTypes.MalformedRequest, "The request could not be read.",
                        badRequest.InnerException is System.Text.Json.JsonException json ? Describe(json) : badRequest.Message),
                };
                break;
            case StaleReadException stale:
                httpContext.Response.Headers.RetryAfter = "1";
                problem = Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.StaleRead, "The read model is behind your write.",
                    stale.Message + " Retry shortly.");
                problem.Extensions["position"] = stale.View.Position.ToString();
                problem.Extensions["minPosition"] = stale.Wanted.ToString();
                break;
            case RedisConnectionException or RedisTimeoutException:
            case RedisServerException refusal when IsTemporaryRefusal(refusal):
                logger.LogWarning(exception, "Redis unavailable for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
                httpContext.Response.Headers.RetryAfter = "1";
                problem = Problem(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "The store is unavailable.",
                    "The ledger cannot be reached, or cannot take writes, right now. A write may or may not have been applied: retry it with the same Idempotency-Key, which applies it at most once.");
                break;
            case UndecodableEventException unreadable:
                // Not ours to hide: the ledger holds an entry this version cannot read (the projector dead-lettered it).
                logger.LogError(exception, "Unreadable stream entry for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
                problem = Problem(StatusCodes.Status500InternalServerError, ProblemTypes.UnreadableEntry, "The ledger holds an entry this service cannot read.",
                    $"Entry {unreadable.EntryId}: {unreadable.Reason}. An operator must look at it (its dead letter has the fields); events after it can be read with from={unreadable.EntryId}.");
                problem.Extensions["entry"] = unreadable.EntryId;
                break;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                return true;
            default:
                logger.LogError(exception, "Unhandled error for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
                problem = Problem(StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "An unexpected error occurred.", null);
                break;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// Error replies of a Redis that is up but cannot serve for now: out of memory (it never evicts the ledger), loading
    /// its data after a restart, busy with a long script, unable to persist, or a replica. A refused script has written
    /// nothing (Redis refuses its first write, and a write cannot follow a refused one).
    /// </summary>
    private static bool IsTemporaryRefusal(RedisServerException refusal) =>
        TemporaryRefusals.Any(code => refusal.Message.StartsWith(code, StringComparison.Ordinal));

    private static readonly string[] TemporaryRefusals = ["OOM ", "LOADING ", "BUSY ", "MISCONF ", "READONLY ", "MASTERDOWN ", "TRYAGAIN "];

    /// <summary>The JSON reader's message without our type names, which mean nothing to a caller.</summary>
    private static string Describe(System.Text.Json.JsonException json) =>
        TypeName().Replace(json.Message, "the request body").Replace(" contained in type 'the request body'", string.Empty, StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"Hyperstore\.[\w.+]+")]
    private static partial System.Text.RegularExpressions.Regex TypeName();

    private static ProblemDetails Problem(int status, string type, string title, string? detail) =>
        new() { Status = status, Type = type, Title = title, Detail = detail };

    private static string JsonName(string propertyName) =>
        string.IsNullOrEmpty(propertyName) ? "request" : char.ToLowerInvariant(propertyName[0]) + propertyName[1..];
}
