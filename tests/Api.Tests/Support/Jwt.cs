using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Hyperstore.Api.Tests.Support;

/// <summary>Takes real access tokens apart and signs altered copies, to show which tokens the API refuses.</summary>
public static class Jwt
{
    public static (JsonObject Header, JsonObject Payload) Decode(string token)
    {
        var parts = token.Split('.');
        return (JsonNode.Parse(FromBase64Url(parts[0]))!.AsObject(), JsonNode.Parse(FromBase64Url(parts[1]))!.AsObject());
    }

    /// <summary>An RS256 JWS of <paramref name="header"/> and <paramref name="payload"/> signed with <paramref name="privateKeyPem"/>.</summary>
    public static string Sign(JsonObject header, JsonObject payload, string privateKeyPem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var signingInput = ToBase64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + ToBase64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + ToBase64Url(signature);
    }

    /// <summary>The token with its payload replaced but its original signature kept.</summary>
    public static string WithPayload(string token, JsonObject payload)
    {
        var parts = token.Split('.');
        return parts[0] + "." + ToBase64Url(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];
    }

    public static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
