using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Hyperstore.Api.Auth;

/// <summary>Loads token signing keys from PEM (RSA or EC private keys, PKCS#1, PKCS#8 or SEC1).</summary>
public static class SigningKeys
{
    public static SecurityKey FromPem(string pem)
    {
        if (pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal))
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ECDsaSecurityKey(ec) { KeyId = KeyId(ec.ExportSubjectPublicKeyInfo()) };
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException) when (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            rsa.Dispose();
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            return new ECDsaSecurityKey(ecdsa) { KeyId = KeyId(ecdsa.ExportSubjectPublicKeyInfo()) };
        }
        return new RsaSecurityKey(rsa) { KeyId = KeyId(rsa.ExportSubjectPublicKeyInfo()) };
    }

    /// <summary>A key made for this process only: tokens it signs die with the process. For development and tests.</summary>
    public static SecurityKey Ephemeral()
    {
        var rsa = RSA.Create(2048);
        return new RsaSecurityKey(rsa) { KeyId = KeyId(rsa.ExportSubjectPublicKeyInfo()) };
    }

    public static string NewRsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    // A stable id derived from the public key, so that every instance names the same key the same way.
    private static string KeyId(byte[] publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];
}
