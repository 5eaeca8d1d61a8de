using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Leibniz.DeviceCheck;

/// <summary>
/// One scalar function per family of the operation table, each over an input <c>x</c> and a weight <c>w</c> whose
/// shapes <see cref="FamilyCases"/> gives: what the device check differentiates on each device.
/// </summary>
public static partial class CheckFunctions
{
    /// <summary>Elementwise functions and scalar arithmetic, the scalars taking the tensors' device.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Elementwise(Tensor x, Tensor w)
    {
        var a = x.exp() * 0.5 + (x * x + 1.0).log() - x.tanh() * w.sigmoid();
        var b = (x.sin() + w.cos()).pow(2) + (w * w + 1.0).sqrt() + softplus(x) + (x * x + 2.0).reciprocal();
        return (a * b).sum();
    }

    /// <summary>Broadcasting, reductions over dimensions, and the statistics a normalisation reads.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Reductions(Tensor x, Tensor w)
    {
        var scaled = x * w.unsqueeze(0);
        var rows = scaled.sum(1L) + scaled.mean(new long[] { 1 }) * 2.0 + scaled.logsumexp(1L);
        return rows.sum() + scaled.var(1L, true, false).sum() + scaled.max(1L).values.sum() + (scaled * scaled).mean();
    }

    /// <summary>Matrix products: matmul, a linear layer, einsum.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor LinearAlgebra(Tensor x, Tensor w)
    {
        var h = linear(x, w).tanh();
        var g = x.matmul(w.t()).sigmoid();
        return einsum("ij,ij->i", h, g).sum() + (h.matmul(g.t()) * 0.1).sum();
    }

    /// <summary>Reshaping, concatenation, slicing, gathering and masks, with creation calls on the path.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor ShapesAndMasks(Tensor x, Tensor w)
    {
        var joined = cat(new[] { x, x * w.unsqueeze(0) }, 1L).reshape(x.shape[0], -1).transpose(0, 1);
        var picked = joined.narrow(0, 1, 3).index_select(1, arange(0, x.shape[0], 2, dtype: ScalarType.Int64));
        var masked = where(x > 0, x, x * 0.2).masked_fill(x < -1.0, 0.5) + zeros_like(x) + ones(x.shape[0], x.shape[1], dtype: x.dtype) * 0.1;
        return picked.pow(2).sum() + (masked * w.unsqueeze(0)).sum();
    }

    /// <summary>Activations and normalisation: relu, softmax, log-softmax, layer norm, GELU.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Activations(Tensor x, Tensor w)
    {
        var h = layer_norm(x * w.unsqueeze(0), new long[] { x.shape[1] });
        var p = softmax(h, 1L);
        return (relu(h) * p).sum() + log_softmax(h * 0.5, 1L).mean() + gelu(x).sum();
    }

    /// <summary>A convolution and pooling over images.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Convolutions(Tensor x, Tensor w)
    {
        var c = conv2d(x, w, padding: new long[] { 1, 1 }).tanh();
        return max_pool2d(c, new long[] { 2, 2 }).pow(2).sum() + c.mean();
    }

    /// <summary>Losses against labels and targets that are data.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Losses(Tensor x, Tensor w, [NoDerivative] Tensor labels)
    {
        var logits = linear(x, w);
        return cross_entropy(logits, labels) + mse_loss(logits.tanh(), zeros_like(logits));
    }
}
