using System;
using System.ComponentModel;

namespace Leibniz.Generated;

/// <summary>Undoes <c>permute</c> in generated tensor derivatives.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Permutations
{
    /// <summary>
    /// The inverse of the permutation <paramref name="dims"/> of a tensor's dimensions: <c>y = x.permute(dims)</c> gives
    /// back <c>x = y.permute(Inverse(dims))</c>. Negative entries count from the end (the rank is the list's length).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dims"/> is not a permutation of 0 … n − 1.</exception>
    public static long[] Inverse(params long[] dims)
    {
        var inverse = new long[dims.Length];
        var seen = new bool[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            var d = dims[i] < 0 ? dims[i] + dims.Length : dims[i];
            if (d < 0 || d >= dims.Length || seen[d])
                throw new ArgumentException($"[{string.Join(", ", dims)}] is not a permutation of the {dims.Length} dimensions (entry {dims[i]} at position {i}); list each dimension once.", nameof(dims));
            seen[d] = true;
            inverse[d] = i;
        }

        return inverse;
    }
}
