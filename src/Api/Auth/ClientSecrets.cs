using System.Security.Cryptography;
using System.Text;

namespace Hyperstore.Api.Auth;

/// <summary>
/// Client secrets: 256 random bits made by the server, stored only as a SHA-256 hash. A slow password hash
/// (bcrypt, PBKDF2) would add nothing for secrets of this entropy and would make the token endpoint expensive.
/// </summary>
public static class ClientSecrets
{
    /// <summary>
    /// A new secret (43 characters of base64url). Never one that starts with '-': command lines (the load client's
    /// <c>--client-secret</c>, for one) would read it as an option. That drops 1 secret in 64, about 0.02 bits.
    /// </summary>
    public static string Generate()
    {
        while (true)
        {
            var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
            if (secret[0] != '-')
            {
                return secret;
            }
        }
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares in constant time, so that timing does not tell how much of a guess was right.</summary>
    public static bool Matches(string secret, string storedHash)
    {
        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), actual);
        Span<byte> expected = stackalloc byte[32];
        return Convert.FromHexString(storedHash, expected, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 32
            && CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
