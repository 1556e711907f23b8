using System.Text;

namespace GoplNet.Net;

/// <summary>Finds the encoding <see cref="LineClientOptions.EncodingName"/> names.</summary>
internal static class LineClientEncoding
{
    /// <summary>The encoding, or <see langword="null"/> when the runtime knows no such name.</summary>
    public static Encoding? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        try
        {
            // The UTF-8 default writes no byte-order mark, and reads invalid bytes as U+FFFD.
            var encoding = Encoding.GetEncoding(name);
            return encoding.CodePage == Encoding.UTF8.CodePage ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
