using System.Runtime.InteropServices;

namespace Leibniz.Benchmarks;

/// <summary>
/// Keeps glibc from handing large tensor buffers back to the OS between iterations — the main source of
/// timing noise with TorchSharp on these machines (NATIVE.md). <c>mallopt</c> does at run time what
/// <c>MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=134217728</c> would do from the environment.
/// </summary>
static class MallocTuning
{
    const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>Applies the thresholds on Linux with glibc; returns a line saying what was done.</summary>
    public static string Apply()
    {
        if (!OperatingSystem.IsLinux()) return "malloc thresholds: left alone (not Linux)";
        try
        {
            var ok = mallopt(MmapThreshold, 64 << 20) == 1 && mallopt(TrimThreshold, 128 << 20) == 1;
            return ok ? "malloc thresholds: mmap 64 MiB, trim 128 MiB" : "malloc thresholds: glibc refused them";
        }
        catch (EntryPointNotFoundException)
        {
            return "malloc thresholds: left alone (the C library is not glibc)";
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int parameter, int value);
}
