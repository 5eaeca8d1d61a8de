using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// The list-argument, extremum and layer rules of <see cref="TensorStructureFunctions"/> and
/// <see cref="LayerRuleFunctions"/>, asking for forward mode and Hessian–vector products. Each value passes through a
/// nonlinear function before the final sum, so a tangent sent to the wrong place, or a product missing a term, fails.
/// </summary>
public static partial class StructureTangentFunctions
{
    /// <remarks><paramref name="x"/> is (2, 3, 4).</remarks>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor SumsAndMeansOverDimensions(Tensor x)
        => x.sum(new long[] { 0, 2 }).sin().sum() + x.mean(new long[] { 1 }, keepdim: true).square().sum()
            + x.mean(new long[] { -1, 0 }).cos().sum() + torch.mean(x, new long[] { 2 }, true).exp().sum()
            + x.sum(0, 2).sin().sum() + torch.sum(x, new long[] { 1 }, keepdim: true).square().sum() + x.sum(dim: 1L).cos().sum();

    /// <remarks><paramref name="x"/> is (2, 3, 4).</remarks>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor ExtremaOverDimensions(Tensor x)
        => x.amax(new long[] { 0, 2 }).sin().sum() + x.amin(new long[] { 1 }, keepdim: true).square().sum() + x.amax(-1).cos().sum()
            + torch.amax(x, new long[] { 1, 2 }).exp().sum() + torch.amin(x, new long[] { -3 }, keepdim: false).sin().sum() + x.amin().exp();

    /// <remarks><paramref name="x"/> is (m, n); the indices scale the values they came with, as data.</remarks>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor ExtremaAlongADimension(Tensor x)
    {
        var (values, indexes) = x.max(1);
        var (low, _) = x.min(0, keepdim: true);
        return (values * indexes).sin().sum() + low.square().sum() + x.max(-1).values.cos().sum()
            + torch.max(x, 0, true).values.exp().sum() + x.min(1).values.sin().sum();
    }

    /// <summary>Activations with their scalars moved off the defaults, which their tangents must read.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor ScaledActivations(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.softplus(x, 2.0, 3.0) * w).sum() + (nn.functional.leaky_relu(x, 0.3) * w.sin()).sum()
            + (x.elu(0.6) * w.square()).sum() + (nn.functional.elu(x, 1.7) * w.cos()).sum();

    /// <summary>keepdim known only at run time: the tangent is reshaped to the value's shape.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor MaximaKeptOrNot(Tensor x, bool keep)
        => x.max(1, keep).values.sin().sum() + torch.max(x, 0, keep).values.square().sum();

    /// <remarks>Over every element: the derivative goes to the maximum (shared among ties).</remarks>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor ExtremaOfEverything(Tensor x)
        => (x.sin() * 3).max().square() + torch.min(x.cos()).sin() + x.min().cos() + torch.max(x * x).exp();

    /// <remarks><paramref name="x"/> is (2, 3, 4); <paramref name="w"/> is (4, 2, 3).</remarks>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Permutes(Tensor x, [NoDerivative] Tensor w)
        => (x.permute(2, 0, 1) * w).sin().sum() + (torch.permute(x, new long[] { -1, -3, -2 }) * w.sin()).square().sum()
            + x.permute(1, 2, 0).reshape(new long[] { 3, -1 }).sin().sum() + x.reshape(4, 6).permute(1, 0).square().sum();

    /// <remarks><paramref name="a"/> is (3, 2), <paramref name="b"/> (3, 4); <paramref name="c"/> (3, 1) is data.</remarks>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Joins(Tensor a, Tensor b, [NoDerivative] Tensor c)
        => torch.cat(new[] { a, b, c }, 1).sin().sum() + torch.cat(new[] { a.t(), b.t() }).square().sum()
            + torch.cat(new Tensor[] { b, a }, -1).exp().sum() + torch.stack(new[] { a, a.cos(), a * 2 }, -1).sin().sum()
            + torch.stack(new[] { b, b.exp() }).square().sum() + torch.concat(new[] { c, a, c }, 1).cos().sum();

    /// <remarks><paramref name="x"/> is (4, 5, 3).</remarks>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Slices(Tensor x)
        => x[.., 1..3].sin().sum() + x[TensorIndex.Ellipsis, 0].square().sum() + x[1].cos().sum() + x[^1, 2..^1].exp().sum()
            + x.slice(1, 1, 5, 2).sin().sum() + x.select(2, 1).square().sum() + torch.select(x, 0, -1).cos().sum()
            + x[TensorIndex.Slice(1, null, 2), TensorIndex.None, 0].sin().sum() + x[1, 2].square().sum() + x.index(TensorIndex.Single(2), TensorIndex.Colon).exp().sum();

    /// <summary>Padding, stride, dilation and two groups; input, weight and bias all vary.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Convolution(Tensor x, Tensor weight, Tensor bias)
        => nn.functional.conv2d(x, weight, bias, strides: new long[] { 2, 1 }, padding: new long[] { 1, 2 }, dilation: new long[] { 1, 2 }, groups: 2).sin().sum();

    /// <summary>No bias: the tangent's convolutions carry none either.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor ConvolutionWithoutBias(Tensor x, Tensor weight)
        => nn.functional.conv2d(x, weight, padding: new long[] { 1 }).square().sum();

    /// <summary>Overlapping windows: an element can be the maximum of several.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Pooling(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.max_pool2d(x * 0.5, 3, stride: 1) * w).square().sum() + (nn.functional.max_pool2d(x, (2, 2)) * 0.2).exp().sum();

    /// <summary>Dropout draws its mask once; the tangent and the product reuse it.</summary>
    [Differentiable(Modes = DerivativeModes.HessianVectorProduct)]
    public static Tensor Dropped(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.dropout(x.sin(), 0.4) * w).square().sum();

    /// <summary>A differentiated dropout probability: the kept elements scale by 1/(1 − p).</summary>
    [Differentiable(Modes = DerivativeModes.Forward)]
    public static Tensor DropoutOfProbability(Tensor x, double p)
        => nn.functional.dropout(x, p * p, true).sum();
}
