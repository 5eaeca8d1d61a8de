using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// One function per family of tensor rules, each using every form of its ops (method, <c>torch</c>, <c>special</c>,
/// <c>nn.functional</c>) on different dimensions. A weight <c>w</c> or a nonlinear reduction makes the output adjoint
/// vary from element to element, so a rule that ignores it (softmax summed plainly has a zero gradient) cannot pass.
/// </summary>
public static partial class TensorRuleFunctions
{
    /// <summary>A float32 input computed on in float64 and back: the cast's adjoint returns in the input's type.</summary>
    [Differentiable]
    public static Tensor CastUpAndDown(Tensor a)
        => (a.to(ScalarType.Float64).square() * 0.5).sum().to_type(ScalarType.Float32) + a.sin().type(ScalarType.Float64).sum().to(ScalarType.Float32);

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Softmaxes(Tensor x, [NoDerivative] Tensor w)
        => (x.softmax(1) * w).sum() + (torch.softmax(x, 0) * w.sin()).sum()
            + (special.softmax(x, -1) * w.square()).sum() + (nn.functional.softmax(x, 1) * w.cos()).sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor LogSoftmaxes(Tensor x, [NoDerivative] Tensor w)
        => (x.log_softmax(1) * w).sum() + (special.log_softmax(x, 0) * w.sin()).sum() + (nn.functional.log_softmax(x, -1) * w.square()).sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor LogSumExps(Tensor x)
        => x.logsumexp(1).sin().sum() + torch.logsumexp(x, 0, keepdim: true).square().sum() + x.logsumexp(-1, false).cos().sum();

    /// <summary><c>sum(d)</c> with keepdim left to its default, next to the explicit forms.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor SumsOverADimension(Tensor x)
        => x.sum(1).sin().sum() + x.sum(0, keepdim: true).square().sum() + x.sum(-1, keepdim: false).cos().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Gelus(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.gelu(x) * w).sum() + (x.gelu() * w.sin()).sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor LeakyRelus(Tensor x, [NoDerivative] Tensor w)
        => (x.leaky_relu(0.2) * w).sum() + (nn.functional.leaky_relu(x) * w.sin()).sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Elus(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.elu(x, 0.7) * w).sum() + (x.elu() * w.sin()).sum() + (x.elu(1.3, 1.1, 0.8) * w.square()).sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Softpluses(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.softplus(x) * w).sum() + (x.softplus() * w.sin()).sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Clamps(Tensor x, [NoDerivative] Tensor w)
        => (x.clamp(-0.5, 0.8) * w).sum() + (torch.clamp(x, max: 0.3) * w.sin()).sum() + (x.clip(min: -0.2) * w.square()).sum()
            + (x.clamp_min(0.1) * w.cos()).sum() + (torch.clamp_max(x, -0.1) * w).sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Wheres(Tensor a, Tensor b, [NoDerivative] Tensor condition, [NoDerivative] Tensor w)
        => (torch.where(condition, a, b) * w).sum() + (b.where(condition, a.sin()) * w.square()).sum();

    /// <summary>
    /// <paramref name="row"/> is (1, 5), <paramref name="column"/> (3, 1), <paramref name="vector"/> (5); <paramref name="w"/> is (3, 5).
    /// The sizes are literals: an int variable passed for a long size is lowered as a double today.
    /// </summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Expands(Tensor row, Tensor column, Tensor vector, [NoDerivative] Tensor w)
        => (row.expand(3, 5) * w).sum() + (column.expand(-1, 5) * w.sin()).sum()
            + (vector.expand(2, 3, 5).sum(0, keepdim: false) * w.square()).sum() + (row.expand_as(w) * w.cos()).sum();

    /// <summary><paramref name="x"/> is (m, 1, n); <paramref name="w"/> is (m, n).</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Squeezes(Tensor x, [NoDerivative] Tensor w)
        => (x.squeeze(1) * w).sum() + (x.squeeze() * w.sin()).sum() + (torch.squeeze(x, 0) * w.unsqueeze(1)).sum() + (x.squeeze(-2) * w.square()).sum();

    /// <summary><paramref name="x"/> is at least (2, 4): slices from the front, the middle and (negative starts) the back.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Narrows(Tensor x)
        => x.narrow(1, 1, 2).sin().sum() + torch.narrow(x, 0, -2, 2).square().sum() + x.narrow(-1, -3, 2).cos().sum() + x.narrow(1, 0, 1).exp().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor IndexSelects(Tensor x, [NoDerivative] Tensor columns, [NoDerivative] Tensor rows)
        => x.index_select(1, columns).sin().sum() + torch.index_select(x, 0, rows).square().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Gathers(Tensor x, [NoDerivative] Tensor alongColumns, [NoDerivative] Tensor alongRows)
        => x.gather(1, alongColumns).sin().sum() + torch.gather(x, 0, alongRows).square().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Addmms(Tensor bias, Tensor a, Tensor b, Tensor c)
        => bias.addmm(a, b).sin().sum() + torch.addmm(c, a, b, 0.5f, 2f).square().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor CrossEntropy(Tensor logits, [NoDerivative] Tensor target)
        => nn.functional.cross_entropy(logits, target).square();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor target)
        => nn.functional.binary_cross_entropy_with_logits(logits, target).square();
}
