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
    /// <paramref name="adjoint"/> + <paramref name="left"/>·<paramref name="right"/>: one <c>addmm</c>, out of place (the
    /// adjoint's tensor may be shared), when all three are matrices; the product and an addition otherwise.
    /// </summary>
    public static Tensor AddProduct(Tensor? adjoint, Tensor left, Tensor right)
    {
        if (adjoint is null) return left.matmul(right);
        return left.dim() == 2 && right.dim() == 2 && adjoint.dim() == 2 ? adjoint.addmm(left, right) : adjoint.add(left.matmul(right));
    }

    /// <summary>
    /// <paramref name="adjoint"/> + <paramref name="contribution"/>, either of which may be null (nothing reached
    /// it): the adjoint of a model call's input, which the called model computes only when asked to.
    /// </summary>
    public static Tensor? Sum(Tensor? adjoint, Tensor? contribution)
        => adjoint is null ? contribution : contribution is null ? adjoint : adjoint.add(contribution);
}
