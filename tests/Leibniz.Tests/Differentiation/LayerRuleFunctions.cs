using TorchSharp;
using static TorchSharp.torch;

namespace Leibniz.Tests.Differentiation;

/// <summary>
/// conv2d, max_pool2d and dropout in the configurations the generated backward claims: each function fixes one set of
/// size arguments (they must be constants at the call). A data weight <c>w</c> of the output's shape, or a nonlinear
/// reduction, makes the output adjoint differ from element to element, so an adjoint sent to the wrong position fails.
/// </summary>
public static partial class LayerRuleFunctions
{
    // ---- conv2d ----

    [Differentiable]
    public static Tensor Conv2dDefaults(Tensor x, Tensor weight)
        => nn.functional.conv2d(x, weight).sin().sum();

    [Differentiable]
    public static Tensor Conv2dWithBias(Tensor x, Tensor weight, Tensor bias)
        => nn.functional.conv2d(x, weight, bias).sin().sum();

    [Differentiable]
    public static Tensor Conv2dExplicitNullBias(Tensor x, Tensor weight)
        => nn.functional.conv2d(x, weight, null, new long[] { 1, 1 }, new long[] { 1, 1 }).square().sum();

    [Differentiable]
    public static Tensor Conv2dStride2Padding1(Tensor x, Tensor weight, Tensor bias)
        => nn.functional.conv2d(x, weight, bias, strides: new long[] { 2, 2 }, padding: new long[] { 1, 1 }).sin().sum();

    /// <summary>Every size different per dimension, and a stride that leaves input rows and columns unread.</summary>
    [Differentiable]
    public static Tensor Conv2dAsymmetric(Tensor x, Tensor weight, Tensor bias)
        => nn.functional.conv2d(x, weight, bias, strides: new long[] { 2, 3 }, padding: new long[] { 1, 2 }, dilation: new long[] { 1, 2 }).sin().sum();

    /// <summary>Single values stand for both dimensions; only dilation and padding given (a gap before them).</summary>
    [Differentiable]
    public static Tensor Conv2dDilated(Tensor x, Tensor weight)
        => nn.functional.conv2d(x, weight, padding: new long[] { 2 }, dilation: new long[] { 2 }).cos().sum();

    [Differentiable]
    public static Tensor Conv2dTwoGroups(Tensor x, Tensor weight, Tensor bias)
        => nn.functional.conv2d(x, weight, bias, strides: new long[] { 2 }, groups: 2).sin().sum();

    /// <summary>Depthwise: one group per input channel, two output channels each, strided and dilated.</summary>
    [Differentiable]
    public static Tensor Conv2dDepthwise(Tensor x, Tensor weight, Tensor bias)
        => nn.functional.conv2d(x, weight, bias, new long[] { 2, 1 }, new long[] { 1 }, new long[] { 2, 1 }, 3).sin().sum();

    /// <summary>Padding wider than the kernel reaches, with stride, dilation and groups together.</summary>
    [Differentiable]
    public static Tensor Conv2dWidePadding(Tensor x, Tensor weight, Tensor bias)
        => nn.functional.conv2d(x, weight, bias, strides: new long[] { 2, 3 }, padding: new long[] { 3, 4 }, dilation: new long[] { 2, 1 }, groups: 2).sin().sum();

    // ---- max_pool2d, in each of its overloads ----

    [Differentiable]
    public static Tensor MaxPoolKernel2(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.max_pool2d(x, 2) * w).sum();

    /// <summary>Stride 1 under a 3×3 window: each input element can be the maximum of several windows.</summary>
    [Differentiable]
    public static Tensor MaxPoolOverlapping(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.max_pool2d(x, 3, stride: 1) * w).sum();

    /// <summary>The window's size from a variable: only the forward reads it, when it finds the maxima.</summary>
    [Differentiable]
    public static Tensor MaxPoolSized(Tensor x, [NoDerivative] Tensor w, int size)
        => (nn.functional.max_pool2d(x, size, stride: 1) * w).sum();

    [Differentiable]
    public static Tensor MaxPoolCeilMode(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.max_pool2d(x, 2, ceil_mode: true) * w).sum();

    [Differentiable]
    public static Tensor MaxPoolTuples(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.max_pool2d(x, (3, 2), stride: (2, 1), padding: (1, 0)) * w).sum();

    [Differentiable]
    public static Tensor MaxPoolArrays(Tensor x, [NoDerivative] Tensor w)
        => (nn.functional.max_pool2d(x, new long[] { 3, 2 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 2, 1 }, ceil_mode: true) * w).sum();

    // ---- dropout ----

    /// <summary>The output itself, so a pullback's seed weighs each element and the mask can be read off the value.</summary>
    [Differentiable]
    public static Tensor Dropout(Tensor x)
        => nn.functional.dropout(x, 0.3);

    [Differentiable]
    public static Tensor DropoutDefaultP(Tensor x)
        => nn.functional.dropout(x);

    [Differentiable]
    public static Tensor DropoutWhen(Tensor x, bool training, double p)
        => nn.functional.dropout(x, p, training);

    [Differentiable]
    public static Tensor DropoutInEvaluation(Tensor x)
        => nn.functional.dropout(x, 0.5, false).sin();

    [Differentiable]
    public static Tensor DropoutOfNothing(Tensor x)
        => nn.functional.dropout(x, p: 0).sin();

    /// <summary>The mask must be the one the forward used even when the input is used again after dropout.</summary>
    [Differentiable]
    public static Tensor DropoutThenMore(Tensor x, [NoDerivative] Tensor w)
    {
        var h = nn.functional.dropout(x.tanh(), 0.4, inplace: false);
        return (h * w + h.square() * x).sum();
    }
}
