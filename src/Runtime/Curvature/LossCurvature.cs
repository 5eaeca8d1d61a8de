using System;
using Leibniz.Generated;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.Curvature;

/// <summary>
/// The Hessians of the usual losses with respect to a model's output, in closed form, as products
/// (<see cref="LossHessianProduct"/>): what a generated <c>ForwardGaussNewtonProduct</c> multiplies J·v by. Each is
/// positive semidefinite, so the Gauss–Newton matrix Jᵀ·H_ℓ·J built on it is too, unlike the full Hessian.
/// </summary>
public static class LossCurvature
{
    /// <summary>The ignored target of <c>cross_entropy</c>'s default <c>ignore_index</c>.</summary>
    const long IgnoredTarget = -100;

    /// <summary>
    /// Mean cross-entropy of logits (N, C) against class indices <paramref name="targets"/> (N): per row,
    /// H = (diag p − p·pᵀ)/n with p = softmax of the row and n the rows whose target is not −100 (ignored rows, as in
    /// <c>cross_entropy</c>, contribute nothing). For this loss the Gauss–Newton matrix is also the Fisher information.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="targets"/> is not one class index per row.</exception>
    public static LossHessianProduct CrossEntropy(Tensor targets)
    {
        if (targets is null) throw new ArgumentNullException(nameof(targets));
        if (targets.IsInvalid)
            throw new ObjectDisposedException(nameof(targets), "The targets were disposed; the returned product reads them each time it runs, so keep them alive while it is used.");
        if (targets.dim() != 1)
            throw new ArgumentException($"Expected one class index per row (a 1-D tensor), but the targets have shape [{string.Join(", ", targets.shape)}]; for logits of more dimensions, flatten them to (rows, classes) first.", nameof(targets));
        return (logits, direction) =>
        {
            CheckDirection(logits, direction, nameof(logits));
            if (targets.IsInvalid)
                throw new ObjectDisposedException(nameof(targets), "The targets given to CrossEntropy were disposed before its product ran; keep them alive while the product is used.");
            if (logits.dim() != 2 || logits.shape[0] != targets.shape[0])
                throw new ArgumentException($"Expected logits of shape ({targets.shape[0]}, classes) to match the targets, but they have shape [{string.Join(", ", logits.shape)}].", nameof(logits));
            using var kept = targets.ne(IgnoredTarget);
            var count = kept.sum().item<long>();
            using var p = softmax(logits, 1);
            using var pu = p.mul(direction);
            using var mean = pu.sum(1L, keepdim: true);
            using var curved = pu.sub(p.mul(mean));
            using var rows = kept.unsqueeze(1).to(curved.dtype);
            return curved.mul(rows).div(Math.Max(count, 1));
        };
    }

    /// <summary>Mean squared error over all n elements of the output: H = 2·I/n.</summary>
    public static LossHessianProduct MeanSquaredError() => (output, direction) =>
    {
        CheckDirection(output, direction, nameof(output));
        return direction.mul(2.0 / output.numel());
    };

    /// <summary>
    /// Mean binary cross-entropy of logits over all n elements (<c>binary_cross_entropy_with_logits</c>): H is diagonal,
    /// σ(x)·(1 − σ(x))/n.
    /// </summary>
    public static LossHessianProduct BinaryCrossEntropyWithLogits()
        => (logits, direction) =>
        {
            CheckDirection(logits, direction, nameof(logits));
            using var s = logits.sigmoid();
            using var slope = s.mul(s.neg().add(1));
            return direction.mul(slope).div(logits.numel());
        };

    /// <summary>
    /// The product's arguments: both live, the direction shaped, typed and placed like the output, checked here so a
    /// mismatch is an exception rather than a libtorch error inside a backward callback.
    /// </summary>
    static void CheckDirection(Tensor output, Tensor direction, string outputName)
    {
        Validation.Tensor(output, outputName, "the loss's Hessian product");
        Validation.Tensor(direction, nameof(direction), "the loss's Hessian product", output, outputName);
        if (!direction.shape.SequenceEqual(output.shape))
            throw new ArgumentException(
                $"direction has shape [{string.Join(", ", direction.shape)}] but {outputName} has shape [{string.Join(", ", output.shape)}]; pass a direction shaped like the output.",
                nameof(direction));
        if (direction.dtype != output.dtype)
            throw new ArgumentException($"direction has dtype {direction.dtype} but {outputName} has dtype {output.dtype}; pass a direction of the output's dtype.", nameof(direction));
    }
}
