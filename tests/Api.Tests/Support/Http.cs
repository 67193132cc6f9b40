using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Xunit;

namespace Hyperstore.Api.Tests.Support;

/// <summary>Requests as callers send them and strict reading of answers, so that a renamed or extra field fails a test.</summary>
public static class Http
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Reads answers exactly as documented in docs/api.md: unknown fields and missing ones are errors.</summary>
    public static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static Uri Path(string path, string? region = null, params (string Name, string? Value)[] query)
    {
        var parameters = (region is null ? query : query.Prepend((Name: "region", Value: (string?)region)))
            .Where(p => p.Value is not null)
            .Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}")
            .ToList();
        return new Uri(parameters.Count == 0 ? path : $"{path}?{string.Join('&', parameters)}", UriKind.Relative);
    }

    public static HttpContent Json(object body) => JsonContent.Create(body);

    /// <summary>A body sent byte for byte, with the content type given (or none).</summary>
    public static HttpContent Raw(string body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        return content;
    }

    public static HttpRequestMessage Request(HttpMethod method, Uri path, HttpContent? content = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    /// <summary>Asserts 200 and reads the body strictly.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<T>(Strict))!;
    }

    public static async Task AssertStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"Expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        }
    }

    /// <summary>Asserts a problem details answer (RFC 9457) with a stable type, and returns it for further checks.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string type)
    {
        await response.AssertStatusAsync(status);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemTypes(type), problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>The full type URI of a short problem name ("sold-out").</summary>
    public static string ProblemTypes(string name) => name.StartsWith("https://", StringComparison.Ordinal) ? name : "https://hyperstore.cc/problems/" + name;

    public static string? Detail(this JsonElement problem) =>
        problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null;

    /// <summary>The Retry-After header in whole seconds.</summary>
    public static int RetryAfterSeconds(this HttpResponseMessage response)
    {
        var delta = response.Headers.RetryAfter?.Delta;
        Assert.True(delta is not null, "Retry-After (seconds) is missing.");
        return (int)delta.Value.TotalSeconds;
    }

    /// <summary>The parameters of the <c>WWW-Authenticate: Bearer …</c> challenge.</summary>
    public static IReadOnlyDictionary<string, string> BearerChallenge(this HttpResponseMessage response)
    {
        var bearer = response.Headers.WwwAuthenticate.SingleOrDefault(h => h.Scheme == "Bearer");
        Assert.True(bearer is not null, $"No Bearer challenge in WWW-Authenticate: '{response.Headers.WwwAuthenticate}'.");
        return AuthParameters(bearer.Parameter);
    }

    public static IReadOnlyDictionary<string, string> AuthParameters(string? parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(parameter ?? string.Empty,
                     "([a-z_]+)=\"([^\"]*)\""))
        {
            result[match.Groups[1].Value] = match.Groups[2].Value;
        }
        return result;
    }
}
