using System.Buffers;

namespace GoplNet.Ftp.Data;

/// <summary>
/// ASCII type (RFC 959): a stored file's line ends are LF, on the wire they are CRLF. Sending adds
/// a CR before each LF that has none; receiving drops the CR of each CRLF.
/// </summary>
internal static class FtpAsciiConversion
{
    /// <summary>
    /// Copies <paramref name="input"/> to <paramref name="output"/> for sending: a CR goes before each
    /// LF not already after one. <paramref name="previous"/> carries the last byte across calls.
    /// The bytes written (at most twice the input).
    /// </summary>
    public static int ToNetwork(ReadOnlySpan<byte> input, Span<byte> output, ref byte previous)
    {
        var n = 0;
        foreach (var b in input)
        {
            if (b == (byte)'\n' && previous != (byte)'\r')
            {
                output[n++] = (byte)'\r';
            }

            output[n++] = previous = b;
        }

        return n;
    }

    /// <summary>
    /// Converts received bytes in place: a CR directly before an LF is dropped. A CR at the end of
    /// <paramref name="buffer"/> is held back in <paramref name="pendingCarriageReturn"/> until the
    /// next byte shows what it was. The bytes to store.
    /// </summary>
    public static int FromNetwork(Span<byte> buffer, ref bool pendingCarriageReturn)
    {
        var n = 0;
        foreach (var b in buffer)
        {
            if (pendingCarriageReturn && b != (byte)'\n')
            {
                buffer[n++] = (byte)'\r';
            }

            pendingCarriageReturn = b == (byte)'\r';
            if (!pendingCarriageReturn)
            {
                buffer[n++] = b;
            }
        }

        return n;
    }

    /// <summary>The length of a file once sent in ASCII type: its length plus one for each LF not after a CR.</summary>
    public static async Task<long> ConvertedLengthAsync(Stream file)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long length = 0;
            var previous = (byte)0;
            int read;
            while ((read = await file.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                length += read + span.Count((byte)'\n') - span.Count("\r\n"u8) - (previous == (byte)'\r' && span[0] == (byte)'\n' ? 1 : 0);
                previous = span[^1];
            }

            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
