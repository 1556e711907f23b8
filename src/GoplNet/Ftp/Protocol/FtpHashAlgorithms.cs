using System.Buffers;
using System.Security.Cryptography;

namespace GoplNet.Ftp.Protocol;

/// <summary>The digests HASH and the X-hash commands compute.</summary>
internal enum FtpHashAlgorithm
{
    /// <summary>SHA-256, HASH's default.</summary>
    Sha256,

    /// <summary>SHA-1.</summary>
    Sha1,

    /// <summary>MD5.</summary>
    Md5,

    /// <summary>CRC-32 (IEEE 802.3, as zip and cksfv compute it).</summary>
    Crc32,
}

/// <summary>Names and computation of the <see cref="FtpHashAlgorithm"/>s (names as draft-bryan-ftpext-hash spells them).</summary>
internal static class FtpHashAlgorithms
{
    public static readonly FtpHashAlgorithm[] All = [FtpHashAlgorithm.Sha256, FtpHashAlgorithm.Sha1, FtpHashAlgorithm.Md5, FtpHashAlgorithm.Crc32];

    private static readonly uint[] CrcTable = MakeCrcTable();

    public static string Name(FtpHashAlgorithm algorithm) => algorithm switch
    {
        FtpHashAlgorithm.Sha256 => "SHA-256",
        FtpHashAlgorithm.Sha1 => "SHA-1",
        FtpHashAlgorithm.Md5 => "MD5",
        _ => "CRC32",
    };

    public static FtpHashAlgorithm? Parse(string name) =>
        All.Select(a => (FtpHashAlgorithm?)a).FirstOrDefault(a => Name(a!.Value).Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The lower-case hex digest of <paramref name="count"/> bytes of <paramref name="file"/> from where the stream stands.</summary>
    public static async Task<string> ComputeAsync(FtpHashAlgorithm algorithm, Stream file, long count)
    {
        using var hash = algorithm switch
        {
            FtpHashAlgorithm.Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
#pragma warning disable CA5350, CA5351 // Integrity checks that clients ask for by name, not security.
            FtpHashAlgorithm.Sha1 => IncrementalHash.CreateHash(HashAlgorithmName.SHA1),
            FtpHashAlgorithm.Md5 => IncrementalHash.CreateHash(HashAlgorithmName.MD5),
#pragma warning restore CA5350, CA5351
            _ => null,
        };
        var crc = uint.MaxValue;
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (count > 0)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count))).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (hash is null)
                {
                    crc = UpdateCrc(crc, buffer.AsSpan(0, read));
                }
                else
                {
                    hash.AppendData(buffer, 0, read);
                }

                count -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash is null ? (~crc).ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static uint UpdateCrc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
