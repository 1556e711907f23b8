using System.Runtime.InteropServices;
using System.Text;

namespace GoplNet.Ftp.Protocol;

/// <summary>
/// Reads command lines from the control connection: Telnet sequences (IAC IP, IAC DM, option
/// negotiation) are dropped before decoding, so an ABOR sent as "IAC IP IAC DM ABOR" with urgent
/// data read inline arrives as "ABOR"; a line longer than the limit is an error, never buffered
/// whole; a line that is not UTF-8 is an error of that line alone.
/// </summary>
/// <param name="stream">The control connection (replaced by its TLS stream after AUTH TLS).</param>
/// <param name="maxLength">The longest line, in bytes.</param>
internal sealed class FtpCommandReader(Stream stream, int maxLength)
{
    private const byte Iac = 255;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte[] _buffer = new byte[4096];
    private readonly List<byte> _line = [];
    private int _start;
    private int _end;
    private TelnetState _telnet;

    private enum TelnetState
    {
        Data,
        Command,
        Option,
    }

    /// <summary>Where lines are read from; swapped for the TLS stream once the handshake is done.</summary>
    public Stream Stream { get; set; } = stream;

    /// <summary>Whether bytes after the last line are waiting (a client must not send past AUTH TLS before the handshake).</summary>
    public bool HasBufferedBytes => _start < _end;

    /// <summary>The next command line, or <see langword="null"/> when the client has closed.</summary>
    /// <exception cref="InvalidDataException">The line is longer than the limit (the connection cannot be resynchronised).</exception>
    /// <exception cref="DecoderFallbackException">The line is not UTF-8; it has been consumed, the next line can be read.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        while (true)
        {
            while (_start < _end)
            {
                var b = _buffer[_start++];
                switch (_telnet)
                {
                    case TelnetState.Command:
                        // "IAC IAC" is a data byte 255; WILL/WONT/DO/DONT take an option byte; the rest (IP, DM) end here.
                        _telnet = b is >= 251 and <= 254 ? TelnetState.Option : TelnetState.Data;
                        if (b == Iac)
                        {
                            Add(b);
                        }

                        continue;
                    case TelnetState.Option:
                        _telnet = TelnetState.Data;
                        continue;
                }

                if (b == Iac)
                {
                    _telnet = TelnetState.Command;
                    continue;
                }

                if (b == (byte)'\n')
                {
                    var count = _line.Count > 0 && _line[^1] == (byte)'\r' ? _line.Count - 1 : _line.Count;
                    return StrictUtf8.GetString(CollectionsMarshal.AsSpan(_line)[..count]);
                }

                Add(b);
            }

            _start = 0;
            _end = await Stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
            if (_end == 0)
            {
                return null;
            }
        }
    }

    private void Add(byte b)
    {
        _line.Add(b);
        if (_line.Count > maxLength)
        {
            throw new InvalidDataException("command line too long");
        }
    }
}
