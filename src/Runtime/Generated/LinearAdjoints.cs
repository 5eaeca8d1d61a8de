using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>
/// The parameter adjoints of <c>y = x·Wᵀ + b</c> in generated derivatives. A batch of rows (2-D, the common
/// case) goes straight to one matrix product; other ranks are flattened to rows first. Knowing the rank
/// only at run time, the generated code calls these rather than always paying for the reshapes — at small
/// sizes every TorchSharp call counts.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LinearAdjoints
{
    /// <summary>W̄ = Σ over the batch of ȳᵀ·x, of W's shape (outputs × inputs).</summary>
    public static Tensor Weight(Tensor outputAdjoint, Tensor input)
        => Rows(outputAdjoint).t().mm(Rows(input));

    /// <summary>
    /// <paramref name="adjoint"/> + Σ ȳᵀ·x in one <c>addmm</c>, out of place (the adjoint's tensor may be shared); W̄ alone
    /// when nothing reached the adjoint yet.
    /// </summary>
    public static Tensor AddedWeight(Tensor? adjoint, Tensor outputAdjoint, Tensor input)
        => adjoint is null ? Weight(outputAdjoint, input) : adjoint.addmm(Rows(outputAdjoint).t(), Rows(input));

    /// <summary>b̄ = Σ over the batch of ȳ, of b's shape (outputs).</summary>
    public static Tensor Bias(Tensor outputAdjoint)
        => Rows(outputAdjoint).sum(0L);

    /// <summary>
    /// <paramref name="target"/> += <paramref name="alpha"/>·Σ ȳᵀ·x in place, in one fused <c>addmm_</c> — how a
    /// gradient-descent step (α = −learning rate) folds into the backward without materialising W̄.
    /// </summary>
    public static void AddWeight(Tensor target, Tensor outputAdjoint, Tensor input, double alpha)
    {
        // TorchSharp's addmm_ takes α as a float: exact for a float32 weight, and for an α a float holds exactly. A float64
        // weight with another α (a learning rate of 0.1) gets ȳ scaled first, so that its step is α·W̄ to double precision.
        if (target.dtype == ScalarType.Float64 && (double)(float)alpha != alpha)
            target.addmm_(Rows(outputAdjoint).t().mul(alpha), Rows(input));
        else
            target.addmm_(Rows(outputAdjoint).t(), Rows(input), beta: 1, alpha: (float)alpha);
    }

    /// <summary><paramref name="target"/> += <paramref name="alpha"/>·Σ ȳ in place.</summary>
    public static void AddBias(Tensor target, Tensor outputAdjoint, double alpha)
        => target.add_(Bias(outputAdjoint), alpha: alpha);

    static Tensor Rows(Tensor t) => t.dim() == 2 ? t : t.reshape(-1, t.shape[^1]);
}
