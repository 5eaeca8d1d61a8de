namespace Leibniz.Fuzzing.Tests.Infrastructure;

/// <summary>Seeds for a program's inputs, drawn from its seed string the same way in every process.</summary>
internal static class StableHash
{
    /// <summary>FNV-1a, non-negative: string.GetHashCode differs between processes, and a failure must replay.</summary>
    public static int Of(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text) hash = (hash ^ ch) * 16777619u;
        return (int)(hash & 0x7fffffff);
    }
}
