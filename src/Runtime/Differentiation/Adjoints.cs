using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz;

/// <summary>Accumulation of tensor adjoints in generated derivatives.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Adjoints
{
    /// <summary>
    /// <paramref name="adjoint"/> + <paramref name="contribution"/>, where a null adjoint (nothing has
    /// reached it yet) stands for zero. Out of place: a contribution may be another value's adjoint.
    /// </summary>
    public static Tensor Add(Tensor? adjoint, Tensor contribution)
        => adjoint is null ? contribution : adjoint.add(contribution);
}
