using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>Counts the derivatives of variances and norms read. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Moments
{
    /// <summary>How many elements a reduction over dimension <paramref name="dim"/> of <paramref name="input"/> averages.</summary>
    public static double Count(Tensor input, long dim) => input.shape[dim < 0 ? dim + input.dim() : dim];

    /// <summary>How many elements a reduction over all of <paramref name="input"/> averages.</summary>
    public static double Count(Tensor input) => input.numel();
}
