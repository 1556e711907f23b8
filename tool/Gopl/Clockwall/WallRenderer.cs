using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gopl.Clockwall;

/// <summary>Writes the wall: plain rows or JSON lines when output is redirected, a live table on a terminal.</summary>
internal abstract class WallRenderer
{
    /// <summary>Whether the renderer writes once a second (rows) or whenever something changes (the live table).</summary>
    public abstract bool Continuous { get; }

    public abstract void Render(IReadOnlyList<WallClock> clocks, DateTimeOffset now, TimeSpan staleAfter);

    public virtual void Finish()
    {
    }

    protected static string Word(WallClockState state) => state switch
    {
        WallClockState.Connecting => "connecting",
        WallClockState.Up => "up",
        WallClockState.Down => "down",
        _ => "stale",
    };
}

/// <summary>
/// <c>NewYork 08:01:02  Tokyo down  London 13:01:02</c>: one line a second, in argument order.
/// A value with a space or a quote in it is quoted (<c>"Mon Jan  2 15:04:05"</c>, with <c>\"</c> and
/// <c>\\</c> inside), so the line splits into words one way only.
/// </summary>
internal sealed class PlainWallRenderer(TextWriter output) : WallRenderer
{
    public override bool Continuous => false;

    public override void Render(IReadOnlyList<WallClock> clocks, DateTimeOffset now, TimeSpan staleAfter)
    {
        var line = new StringBuilder();
        foreach (var clock in clocks)
        {
            if (line.Length > 0)
            {
                line.Append("  ");
            }

            var state = clock.StateAt(now, staleAfter);
            line.Append(clock.Name).Append(' ').Append(state == WallClockState.Up && clock.Value is not null ? Quoted(clock.Value) : Word(state));
        }

        output.WriteLine(line.ToString());
    }

    private static string Quoted(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\')
            ? value
            : $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}

/// <summary>One JSON object a second: <c>{"clocks":[{"name":…,"address":…,"state":…,"reason":…,"value":…,"ageMs":…}]}</c>; <c>reason</c> says why a clock is down.</summary>
internal sealed class JsonWallRenderer(Stream output) : WallRenderer
{
    public override bool Continuous => false;

    public override void Render(IReadOnlyList<WallClock> clocks, DateTimeOffset now, TimeSpan staleAfter)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("clocks");
            foreach (var clock in clocks)
            {
                json.WriteStartObject();
                json.WriteString("name", clock.Name);
                json.WriteString("address", clock.Address.ToString());
                var state = clock.StateAt(now, staleAfter);
                json.WriteString("state", Word(state));
                if (state == WallClockState.Down)
                {
                    json.WriteString("reason", clock.Reason ?? "closed");
                }
                else
                {
                    json.WriteNull("reason");
                }

                if (clock.Value is null)
                {
                    json.WriteNull("value");
                    json.WriteNull("ageMs");
                }
                else
                {
                    json.WriteString("value", clock.Value);
                    json.WriteNumber("ageMs", (long)(now - clock.LastLineAt!.Value).TotalMilliseconds);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        output.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        output.Flush();
    }
}

/// <summary>
/// The table on a terminal, redrawn in place: the cursor goes back to the table's first row and
/// every row is rewritten, so nothing scrolls. Rows are cut to the terminal's width; a resize
/// clears the screen and draws anew; rows that do not fit the height are summarised.
/// </summary>
internal sealed class LiveWallRenderer(TextWriter output, Func<(int Width, int Height)> size) : WallRenderer
{
    private const string Escape = "\u001b[";
    private int _drawnRows;

    // The time column only ever widens, so a layout whose width varies (month names) does not make the table jump.
    private int _timeWidth = 8;
    private (int Width, int Height) _lastSize;

    public override bool Continuous => true;

    public override void Render(IReadOnlyList<WallClock> clocks, DateTimeOffset now, TimeSpan staleAfter)
    {
        var current = size();
        var frame = new StringBuilder();
        if (_drawnRows == 0)
        {
            frame.Append(Escape).Append("?25l");
        }
        else if (current != _lastSize)
        {
            frame.Append(Escape).Append("2J").Append(Escape).Append('H');
        }
        else
        {
            frame.Append(Escape).Append(_drawnRows.ToString(CultureInfo.InvariantCulture)).Append('F');
        }

        _lastSize = current;
        var nameWidth = Math.Max(5, clocks.Max(c => c.Name.Length));
        _timeWidth = Math.Max(_timeWidth, clocks.Max(c => c.Value?.Length ?? 0));
        var rows = new List<string> { $"{"CLOCK".PadRight(nameWidth)}  {"TIME".PadRight(_timeWidth)}  STATUS" };
        var room = Math.Max(1, current.Height - 2);
        foreach (var clock in clocks.Take(clocks.Count > room ? room - 1 : room))
        {
            rows.Add($"{clock.Name.PadRight(nameWidth)}  {(clock.Value ?? "--").PadRight(_timeWidth)}  {Status(clock, now, staleAfter)}");
        }

        if (clocks.Count > room)
        {
            rows.Add($"... {clocks.Count - (room - 1)} more clocks (enlarge the terminal to see them)");
        }

        foreach (var row in rows)
        {
            var width = Math.Max(1, current.Width - 1);
            frame.Append(Escape).Append("2K").Append(row.Length > width ? row[..width] : row).Append('\n');
        }

        _drawnRows = rows.Count;
        output.Write(frame.ToString());
        output.Flush();
    }

    public override void Finish()
    {
        output.Write(Escape + "?25h");
        output.Flush();
    }

    private static string Status(WallClock clock, DateTimeOffset now, TimeSpan staleAfter)
    {
        var state = clock.StateAt(now, staleAfter);
        return state switch
        {
            WallClockState.Down when clock.RetryAt is { } at =>
                $"down ({clock.Reason ?? "closed"}), reconnecting in {Math.Max(0, Math.Ceiling((at - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture)} s",
            WallClockState.Down => $"down ({clock.Reason ?? "closed"})",
            WallClockState.Stale => $"stale: no line for {Math.Floor((now - clock.LastLineAt!.Value).TotalSeconds).ToString(CultureInfo.InvariantCulture)} s",
            _ => Word(state),
        };
    }
}
