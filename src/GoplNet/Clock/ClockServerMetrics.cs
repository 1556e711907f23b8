using System.Diagnostics.Metrics;

namespace GoplNet.Clock;

/// <summary>
/// The clock server's instruments on the meter <c>GoplNet.Clock</c> (shared by every clock server
/// in the process; <c>dotnet-counters monitor -n gopl --counters GoplNet.Clock</c> shows them):
/// <c>goplnet.clock.clients.active</c>, <c>goplnet.clock.clients.accepted</c>,
/// <c>goplnet.clock.ticks</c>, <c>goplnet.clock.ticks.late</c>,
/// <c>goplnet.clock.clients.dropped</c> (slow clients) and <c>goplnet.clock.bytes.sent</c>.
/// </summary>
/// <remarks>A broadcast adds its bytes once, not once per client: the instruments cost nothing per client.</remarks>
internal static class ClockServerMetrics
{
    public const string MeterName = "GoplNet.Clock";

    private static readonly Meter Meter = new(MeterName);

    private static readonly UpDownCounter<long> ActiveClients =
        Meter.CreateUpDownCounter<long>("goplnet.clock.clients.active", "{client}", "Clients connected now.");

    private static readonly Counter<long> AcceptedClients =
        Meter.CreateCounter<long>("goplnet.clock.clients.accepted", "{client}", "Clients admitted (greeted and added to the broadcast).");

    private static readonly Counter<long> Ticks =
        Meter.CreateCounter<long>("goplnet.clock.ticks", "{tick}", "Interval boundaries whose line was broadcast.");

    private static readonly Counter<long> LateTicks =
        Meter.CreateCounter<long>("goplnet.clock.ticks.late", "{tick}", "Ticks that ran after the next boundary had passed (the line names the current interval; the missed ones are not sent).");

    private static readonly Counter<long> DroppedClients =
        Meter.CreateCounter<long>("goplnet.clock.clients.dropped", "{client}", "Clients disconnected for not reading: past MaxUnsentBytesPerClient.");

    private static readonly Counter<long> BytesSent =
        Meter.CreateCounter<long>("goplnet.clock.bytes.sent", "By", "Bytes of clock lines written to clients (a slow client's queued lines count when offered).");

    public static void ClientAdmitted(int lineBytes)
    {
        ActiveClients.Add(1);
        AcceptedClients.Add(1);
        BytesSent.Add(lineBytes);
    }

    public static void ClientsGone(int count) => ActiveClients.Add(-count);

    public static void Tick(int clients, int lineBytes)
    {
        Ticks.Add(1);
        if (clients > 0)
        {
            BytesSent.Add((long)clients * lineBytes);
        }
    }

    public static void TickLate() => LateTicks.Add(1);

    public static void SlowClientDropped() => DroppedClients.Add(1);
}
