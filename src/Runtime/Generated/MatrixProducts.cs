using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The adjoints of <c>matmul</c> in generated tensor derivatives, for every operand rank: a 1-D operand has no
/// <c>mT</c>, so the vector cases form the outer or inner products themselves. Results may still carry broadcast
/// batch dimensions; the generated code sums them back to the operand's shape.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MatrixProducts
{
    /// <summary>Ā for y = A·B: Ḡ·Bᵀ; for a vector B, the outer product Ḡ ⊗ B; for a vector A, Bᵀ·ḡ per batch.</summary>
    public static Tensor LeftAdjoint(Tensor gradient, Tensor left, Tensor right)
    {
        if (right.dim() == 1) return gradient.unsqueeze(-1).mul(right);
        if (left.dim() == 1) return gradient.unsqueeze(-2).matmul(right.mT).squeeze(-2);
        return gradient.matmul(right.mT);
    }

    /// <summary>B̄ for y = A·B: Aᵀ·Ḡ; for a vector A, the outer product A ⊗ Ḡ; for a vector B, Aᵀ·ḡ per batch.</summary>
    public static Tensor RightAdjoint(Tensor gradient, Tensor left, Tensor right)
    {
        if (left.dim() == 1 && right.dim() == 1) return gradient.mul(left);
        if (left.dim() == 1) return left.unsqueeze(-1).matmul(gradient.unsqueeze(-2));
        if (right.dim() == 1) return left.mT.matmul(gradient.unsqueeze(-1)).squeeze(-1);
        return left.mT.matmul(gradient);
    }
}
