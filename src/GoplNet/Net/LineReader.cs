using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace GoplNet.Net;

/// <summary>
/// Reads newline-terminated lines from a socket into one buffer that never grows past the line
/// limit, counting what it reads on the meter. A trailing "\r" is dropped; a last line without a newline is returned at the end.
/// </summary>
internal sealed class LineReader(Socket socket, int maxLineLength, Encoding encoding, TagList tags)
{
    private byte[] _buffer = new byte[Math.Min(4096, maxLineLength + 1)];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next line, or <see langword="null"/> when the server has closed.</summary>
    /// <exception cref="InvalidDataException">A line is longer than the limit.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                {
                    length--;
                }

                var line = encoding.GetString(_buffer, _start, length);
                _start = newline + 1;
                LineClientMetrics.LineReceived(tags);
                return line;
            }

            if (_end - _start > maxLineLength)
            {
                throw new InvalidDataException($"a line longer than {maxLineLength} bytes");
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    return null;
                }

                var last = encoding.GetString(_buffer, _start, _end - _start);
                _start = _end;
                LineClientMetrics.LineReceived(tags);
                return last;
            }

            // Everything buffered has been searched; after the move, continue where the search stopped.
            var searched = _end - _start;
            MakeRoom();
            scanned = _start + searched;
            var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            LineClientMetrics.Received(tags, read);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    /// <summary>Moves the partial line to the front, and grows the buffer (up to the limit) when it is full.</summary>
    private void MakeRoom()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxLineLength + 1 + 4096));
        }
    }
}
