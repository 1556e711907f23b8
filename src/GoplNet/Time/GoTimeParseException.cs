namespace GoplNet.Time;

/// <summary>
/// A value that does not match its Go layout. The <see cref="Exception.Message"/> is Go's own
/// error text, for example <c>parsing time "2026-13-01" as "2006-01-02": month out of range</c>.
/// </summary>
public sealed class GoTimeParseException : FormatException
{
    /// <summary>Creates the exception with Go's error text.</summary>
    /// <param name="message">The error text.</param>
    /// <param name="value">The value that was parsed.</param>
    /// <param name="layout">The layout it was parsed with.</param>
    public GoTimeParseException(string message, string value, string layout)
        : base(message)
    {
        Value = value;
        Layout = layout;
    }

    /// <summary>The value that was parsed.</summary>
    public string Value { get; }

    /// <summary>The layout it was parsed with.</summary>
    public string Layout { get; }
}
