using System.Runtime.InteropServices;
using GoplNet.Interop;

namespace GoplNet.Hosting;

/// <summary>
/// A few spare file descriptors a server holds while it accepts connections, and gives back when
/// accepting fails for lack of descriptors. The runtime itself needs descriptors at unpredictable
/// moments (compiling code needs executable memory, loading an assembly opens a file); a process
/// that has handed every descriptor to clients fails there instead, and dies. With the reserve, the
/// server reaches its limit while the runtime still has room, and resumes accepting once it can
/// take the reserve back.
/// </summary>
/// <remarks>Descriptors are duplicated with <c>dup(2)</c> and closed with <c>close(2)</c>, which report failure without exceptions or allocation. On Windows the reserve is empty.</remarks>
internal sealed class DescriptorReserve : IDisposable
{
    private readonly int[] _descriptors;
    private readonly SafeHandle? _source;
    private int _count;

    public DescriptorReserve(int size)
    {
        _descriptors = new int[size];
        if (!OperatingSystem.IsWindows())
        {
            _source = File.OpenHandle("/dev/null");
            TryFill();
        }
    }

    /// <summary>The number of descriptors held now.</summary>
    public int Count => _count;

    /// <summary>Takes descriptors until the reserve is full; <see langword="false"/> when the process is still at its limit.</summary>
    public bool TryFill()
    {
        if (_source is null)
        {
            return true;
        }

        var source = (int)_source.DangerousGetHandle();
        while (_count < _descriptors.Length)
        {
            var descriptor = LibC.Dup(source);
            if (descriptor < 0)
            {
                return false;
            }

            _descriptors[_count++] = descriptor;
        }

        return true;
    }

    /// <summary>
    /// Takes the reserve back only when half as many descriptors again are free beside it: a server that
    /// resumed as soon as the reserve alone fitted would hand the next descriptors to clients at once
    /// and bring the process back to zero free, again and again, each time a moment where the
    /// runtime's own needs fail. With the headroom it stays at its limit with room to spare until
    /// connections end.
    /// </summary>
    /// <returns><see langword="false"/> (holding nothing) while the process is short of the reserve and the headroom.</returns>
    public bool TryFillWithHeadroom()
    {
        if (_source is null)
        {
            return true;
        }

        if (!TryFill())
        {
            Release();
            return false;
        }

        // Probe the headroom by borrowing it, then give it straight back.
        var source = (int)_source.DangerousGetHandle();
        var borrowed = new int[Math.Max(1, _descriptors.Length / 2)];
        var count = 0;
        while (count < borrowed.Length && (borrowed[count] = LibC.Dup(source)) >= 0)
        {
            count++;
        }

        for (var i = 0; i < count; i++)
        {
            _ = LibC.Close(borrowed[i]);
        }

        if (count < borrowed.Length)
        {
            Release();
            return false;
        }

        return true;
    }

    /// <summary>Gives every held descriptor back to the process.</summary>
    public void Release()
    {
        while (_count > 0)
        {
            _ = LibC.Close(_descriptors[--_count]);
        }
    }

    public void Dispose()
    {
        Release();
        _source?.Dispose();
    }


}
