using System.ComponentModel;
using static TorchSharp.torch;

namespace Leibniz.Generated;

/// <summary>Hand-fused adjoints of TorchSharp's losses, which generated pullbacks call. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LossAdjoints
{
    /// <summary>
    /// The adjoint of mean cross-entropy over class dimension 1 with int64 targets: (softmax(x) − onehot(t))·[t ≠ −100]·ȳ/#kept.
    /// A row whose target is the ignore index (−100) counts neither in the sum nor in the mean; covers (N, C) and
    /// (N, C, d₁, …) inputs.
    /// </summary>
    public static Tensor CrossEntropy(Tensor cotangent, Tensor input, Tensor target)
        => MinusTargetsOverKept(input.softmax(1L), cotangent, target);

    /// <summary>
    /// (<paramref name="values"/> − onehot(t))·[t ≠ −100]·ȳ/#kept along class dimension 1, in place in
    /// <paramref name="values"/>: the part of cross-entropy's and nll_loss's adjoints that reads the targets.
    /// </summary>
    internal static Tensor MinusTargetsOverKept(Tensor values, Tensor cotangent, Tensor target)
    {
        using var kept = target.ne(-100);
        using var count = kept.sum();
        using var scale = cotangent.div(count);
        using var rowScale = kept.unsqueeze(1L).mul(scale);
        using var clamped = target.clamp_min(0);
        using var classes = clamped.unsqueeze(1L);
        using var minusOnes = classes.full_like(-1, dtype: values.dtype);
        return values.scatter_add_(1L, classes, minusOnes).mul_(rowScale);
    }
}
