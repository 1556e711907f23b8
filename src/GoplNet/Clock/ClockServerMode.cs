namespace GoplNet.Clock;

/// <summary>How a <see cref="ClockServer"/> serves its clients.</summary>
public enum ClockServerMode
{
    /// <summary>Every connected client gets the time at once (the book's clock2). The default.</summary>
    Concurrent,

    /// <summary>
    /// One client at a time (the book's clock1): the next connection is accepted only after the
    /// current client has gone; the others wait in the listen backlog.
    /// </summary>
    Sequential,
}
