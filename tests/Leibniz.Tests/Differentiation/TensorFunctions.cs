using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>Tensor functions differentiated at build time; the tests compare with TorchSharp autograd.</summary>
public static partial class TensorFunctions
{
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Mlp(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoDerivative] Tensor target)
    {
        var h = nn.functional.relu(nn.functional.linear(x, w1, b1));
        var y = nn.functional.linear(h, w2, b2);
        return nn.functional.mse_loss(y, target);
    }

    /// <summary>The loss of a network's weights for one batch: the input is differentiable but outside Wrt.</summary>
    [Differentiable(Wrt = new[] { nameof(w1), nameof(b1), nameof(w2) }, Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor WeightsOnly(Tensor x, Tensor w1, Tensor b1, Tensor w2, [NoDerivative] Tensor target)
    {
        var h = nn.functional.linear(x, w1, b1).tanh();
        return nn.functional.mse_loss(nn.functional.linear(h, w2), target);
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Broadcasts(Tensor a, Tensor row, Tensor column, double s)
        => ((a * row + column) / (row * row + 1.0) - a * s).tanh().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Elementwise(Tensor x)
        => (x.exp() + x.sin() * x.cos() + x.abs() + x.sigmoid() + x.square() + x.pow(3) - x.log().neg() + x.sqrt() + x.rsqrt()).mean();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Reductions(Tensor x)
        => x.sum(1, keepdim: false).square().sum() + x.sum(0, keepdim: true).exp().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Shapes(Tensor x, Tensor w)
        => x.reshape(6, 2).matmul(w).t().unsqueeze(0).flatten().transpose(0, 0).tanh().sum();

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor RepeatedLayer(Tensor x, Tensor w, int depth)
    {
        var h = x;
        for (var i = 0; i < depth; i++) h = torch.tanh(h.matmul(w));
        return h.sum();
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Accumulates(Tensor x, Tensor w)
    {
        var total = x.matmul(w);
        total += x.sin().matmul(w);
        total -= w.sum();
        total *= x.sum(1, keepdim: true);
        return total.sum();
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor IntegerSizes(Tensor x, int rows)
    {
        var grown = x.unsqueeze(0).expand(rows, 4);
        return grown.square().sum();
    }

    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor PiecewiseByMask(Tensor x, Tensor w)
    {
        var scaled = x.matmul(w);
        var positive = scaled.gt(0);
        return torch.where(positive, scaled, scaled * 0.1 - x.sign().sum()).sum();
    }
}
