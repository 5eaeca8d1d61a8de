using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

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

    /// <summary>
    /// <paramref name="adjoint"/> + <paramref name="contribution"/>, either of which may be null (nothing reached
    /// it): the adjoint of a model call's input, which the called model computes only when asked to.
    /// </summary>
    public static Tensor? Sum(Tensor? adjoint, Tensor? contribution)
        => adjoint is null ? contribution : contribution is null ? adjoint : adjoint.add(contribution);
}
